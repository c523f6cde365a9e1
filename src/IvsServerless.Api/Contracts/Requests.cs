namespace IvsServerless.Api.Contracts;

// Request bodies. Every member is nullable so that a missing field becomes a field error of ours,
// not a serializer exception; unknown members are refused by StrictJson.

public sealed record CreateStageBody
{
    public string? Name { get; init; }
    public string? Visibility { get; init; }
    public IReadOnlyList<string>? CoHostIds { get; init; }
    public IReadOnlyList<string>? InvitedUserIds { get; init; }
    public RecordingBody? Recording { get; init; }
}

/// <summary>POST /stages/{stageId}/ingest-configurations.</summary>
public sealed record CreateIngestConfigurationBody
{
    public string? Name { get; init; }
    public string? IngestProtocol { get; init; }
}

/// <summary>POST /stages/{stageId}/replications.</summary>
public sealed record StartReplicationBody
{
    public string? ParticipantId { get; init; }
    public string? DestinationStageId { get; init; }
    public int? ReconnectWindowSeconds { get; init; }
}

/// <summary>PATCH semantics: an absent member keeps its value.</summary>
public sealed record UpdateStageBody
{
    public string? Name { get; init; }
    public string? Visibility { get; init; }
    public IReadOnlyList<string>? CoHostIds { get; init; }
    public IReadOnlyList<string>? InvitedUserIds { get; init; }
    public RecordingBody? Recording { get; init; }
}

/// <summary>
/// A stage's individual participant recording: <c>mode</c> "off" or "individual", and for "individual" the options of the IVS
/// stage's autoParticipantRecordingConfiguration (absent: the IVS defaults).
/// </summary>
public sealed record RecordingBody
{
    public string? Mode { get; init; }
    public IReadOnlyList<string>? MediaTypes { get; init; }
    public ThumbnailConfigurationBody? ThumbnailConfiguration { get; init; }
    public int? RecordingReconnectWindowSeconds { get; init; }
    public HlsConfigurationBody? HlsConfiguration { get; init; }
}

public sealed record ThumbnailConfigurationBody
{
    public string? RecordingMode { get; init; }
    public int? TargetIntervalSeconds { get; init; }
    public IReadOnlyList<string>? Storage { get; init; }
}

public sealed record HlsConfigurationBody
{
    public int? TargetSegmentDurationSeconds { get; init; }
}

public sealed record CreateTokenBody
{
    public IReadOnlyList<string>? Capabilities { get; init; }
    public int? DurationMinutes { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

/// <summary>Token exchange: the participant's current token, and optionally what to ask for (as for a new token).</summary>
public sealed record ExchangeTokenBody
{
    /// <summary>The current participant token: a bearer secret, never logged.</summary>
    public string? Token { get; init; }

    public IReadOnlyList<string>? Capabilities { get; init; }
    public int? DurationMinutes { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    public override string ToString() => "ExchangeTokenBody { (token hidden) }";
}

public sealed record DisconnectBody
{
    public string? Reason { get; init; }

    /// <summary>Also ban the participant's user from the stage (and disconnect all their participants).</summary>
    public bool? Ban { get; init; }
}
