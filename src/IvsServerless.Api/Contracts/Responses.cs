namespace IvsServerless.Api.Contracts;

public sealed record StageView
{
    public required string StageId { get; init; }
    public required string StageArn { get; init; }
    public required string Name { get; init; }
    public required string OwnerId { get; init; }
    public required string Visibility { get; init; }
    public required IReadOnlyList<string> CoHostIds { get; init; }

    /// <summary>Only the owner sees who is invited.</summary>
    public IReadOnlyList<string>? InvitedUserIds { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required bool Live { get; init; }
    public string? ActiveSessionId { get; init; }
    public required long Version { get; init; }

    /// <summary>Individual participant recording: mode "off", or "individual" with every option.</summary>
    public required StageRecordingView Recording { get; init; }

    /// <summary>Set on GET of one stage only.</summary>
    public IReadOnlyList<CompositionView>? Compositions { get; init; }

    /// <summary>Set on GET of one stage only: who is on the live session (connected or publishing), from the event projection.</summary>
    public IReadOnlyList<ParticipantView>? Participants { get; init; }
}

public sealed record StageRecordingView
{
    public required string Mode { get; init; }
    public IReadOnlyList<string>? MediaTypes { get; init; }
    public ThumbnailConfigurationView? ThumbnailConfiguration { get; init; }
    public int? RecordingReconnectWindowSeconds { get; init; }
    public HlsConfigurationView? HlsConfiguration { get; init; }
}

public sealed record ThumbnailConfigurationView
{
    public required string RecordingMode { get; init; }
    public required int TargetIntervalSeconds { get; init; }
    public required IReadOnlyList<string> Storage { get; init; }
}

public sealed record HlsConfigurationView
{
    public required int TargetSegmentDurationSeconds { get; init; }
}

public sealed record ParticipantView
{
    public required string ParticipantId { get; init; }
    public required string UserId { get; init; }
    public bool Publishing { get; init; }
}

public sealed record CompositionView
{
    public required string CompositionId { get; init; }
    public required string CompositionArn { get; init; }
    public required string State { get; init; }
    public required string StartedBy { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why IVS ended it, when an IVS event said so.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Each destination's state as the IVS events report it; absent until one does.</summary>
    public IReadOnlyList<CompositionDestinationView>? Destinations { get; init; }
}

public sealed record CompositionDestinationView
{
    public required string DestinationId { get; init; }
    public required string State { get; init; }
    public string? Reason { get; init; }
}

public sealed record CompositionListView
{
    public required IReadOnlyList<CompositionView> Items { get; init; }
}

public sealed record StagePageView
{
    public required IReadOnlyList<StageView> Items { get; init; }
    public string? NextCursor { get; init; }
}

public sealed record TokenView
{
    /// <summary>A bearer secret for the stage: returned to its owner, never logged.</summary>
    public required string Token { get; init; }

    public required string ParticipantId { get; init; }
    public required DateTimeOffset ExpirationTime { get; init; }
    public required IReadOnlyList<string> Capabilities { get; init; }
}

public sealed record HealthView
{
    public required string Status { get; init; }
}

/// <summary>An ingest configuration of a stage. <see cref="StreamKey"/> and <see cref="IngestEndpoint"/> only in the answer that
/// created it (once; never listed or logged).</summary>
public sealed record IngestConfigurationView
{
    public required string IngestConfigurationId { get; init; }
    public required string Name { get; init; }
    public required string IngestProtocol { get; init; }
    public required string ParticipantId { get; init; }
    public string? UserId { get; init; }
    public required string State { get; init; }
    public string? StreamKey { get; init; }
    public string? IngestEndpoint { get; init; }
}

public sealed record IngestConfigurationListView
{
    public required IReadOnlyList<IngestConfigurationView> Items { get; init; }
}

/// <summary>A replication of a participant of this stage into another stage.</summary>
public sealed record ReplicaView
{
    public required string ParticipantId { get; init; }
    public required string SourceStageId { get; init; }
    public required string DestinationStageId { get; init; }
    public string? SourceSessionId { get; init; }
    public string? DestinationSessionId { get; init; }
    public required string State { get; init; }
}

public sealed record ReplicaListView
{
    public required IReadOnlyList<ReplicaView> Items { get; init; }
}

/// <summary>The users banned from a stage (owner only).</summary>
public sealed record BanListView
{
    public required IReadOnlyList<BanView> Items { get; init; }
}

public sealed record BanView
{
    public required string UserId { get; init; }
}
