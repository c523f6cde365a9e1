namespace IvsServerless.IvsRealTime;

// Convention for every model file: members marked required in the IVS model are `required` on types a caller
// sends, and defaulted (never required) on output-only types, so a response missing a member still parses.
// Those defaults live in the getter (`field ?? []`) because the JSON source generator sets every init-only
// property, passing null for one absent from the JSON, which would overwrite an initializer.

public sealed record CreateStageRequest
{
    public string? Name { get; init; }
    public IReadOnlyList<ParticipantTokenConfiguration>? ParticipantTokenConfigurations { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public AutoParticipantRecordingConfiguration? AutoParticipantRecordingConfiguration { get; init; }
}

public sealed record CreateStageResponse
{
    public Stage? Stage { get; init; }

    /// <summary>One token per entry of <see cref="CreateStageRequest.ParticipantTokenConfigurations"/>, in order.</summary>
    public IReadOnlyList<ParticipantToken> ParticipantTokens { get => field ?? []; init; }
}

public sealed record GetStageRequest
{
    public required string Arn { get; init; }
}

public sealed record GetStageResponse
{
    public Stage? Stage { get; init; }
}

public sealed record UpdateStageRequest
{
    public required string Arn { get; init; }
    public string? Name { get; init; }
    public AutoParticipantRecordingConfiguration? AutoParticipantRecordingConfiguration { get; init; }
}

public sealed record UpdateStageResponse
{
    public Stage? Stage { get; init; }
}

public sealed record DeleteStageRequest
{
    public required string Arn { get; init; }
}

public sealed record DeleteStageResponse;

public sealed record ListStagesRequest
{
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListStagesResponse
{
    public IReadOnlyList<StageSummary> Stages { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record Stage
{
    public string Arn { get => field ?? ""; init; }
    public string? Name { get; init; }

    /// <summary>Set only while a session is live (someone is joined).</summary>
    public string? ActiveSessionId { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public AutoParticipantRecordingConfiguration? AutoParticipantRecordingConfiguration { get; init; }
    public StageEndpoints? Endpoints { get; init; }
}

public sealed record StageSummary
{
    public string Arn { get => field ?? ""; init; }
    public string? Name { get; init; }
    public string? ActiveSessionId { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record StageEndpoints
{
    public string? Events { get; init; }
    public string? Whip { get; init; }
    public string? Rtmp { get; init; }
    public string? Rtmps { get; init; }
}

public sealed record AutoParticipantRecordingConfiguration
{
    /// <summary>An empty string disables individual participant recording.</summary>
    public required string StorageConfigurationArn { get; init; }

    public IReadOnlyList<ParticipantRecordingMediaType>? MediaTypes { get; init; }
    public ParticipantThumbnailConfiguration? ThumbnailConfiguration { get; init; }
    public int? RecordingReconnectWindowSeconds { get; init; }
    public ParticipantRecordingHlsConfiguration? HlsConfiguration { get; init; }
    public bool? RecordParticipantReplicas { get; init; }
}

public sealed record ParticipantThumbnailConfiguration
{
    public int? TargetIntervalSeconds { get; init; }
    public IReadOnlyList<ThumbnailStorageType>? Storage { get; init; }
    public ThumbnailRecordingMode? RecordingMode { get; init; }
}

public sealed record ParticipantRecordingHlsConfiguration
{
    public int? TargetSegmentDurationSeconds { get; init; }
}

public sealed record ParticipantTokenConfiguration
{
    /// <summary>Minutes; IVS defaults to 720.</summary>
    public int? Duration { get; init; }

    public string? UserId { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public IReadOnlyList<ParticipantTokenCapability>? Capabilities { get; init; }
}
