namespace IvsServerless.IvsEmulator.State;

/// <summary>A stage session: starts with the first join, ends when the last participant leaves.</summary>
public sealed partial class StageSessionRecord
{
    public required string SessionId { get; init; }
    public required string StageArn { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>Participants of this session by participant id, in join order.</summary>
    public Dictionary<string, ParticipantRecord> Participants { get; } = new(StringComparer.Ordinal);

    public IEnumerable<ParticipantRecord> Connected => Participants.Values.Where(p => p.State == ParticipantStates.Connected);
}

public static class ParticipantStates
{
    public const string Connected = "CONNECTED";
    public const string Disconnected = "DISCONNECTED";
}

public sealed partial class ParticipantRecord
{
    public required string ParticipantId { get; init; }
    // UserId, Attributes and the capabilities change when the participant exchanges its token.
    public string? UserId { get; set; }
    public IReadOnlyDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>();
    public required DateTimeOffset FirstJoinTime { get; init; }
    public string State { get; set; } = ParticipantStates.Connected;
    public bool AllowPublish { get; set; }
    public bool AllowSubscribe { get; set; }

    /// <summary>The <c>events_url</c> and <c>whip_url</c> of the token it joined with (null when joined otherwise).</summary>
    public (string EventsUrl, string WhipUrl)? TokenUrls { get; set; }
    public bool Published { get; set; }
    public string RecordingState { get; set; } = "DISABLED";
    public string? RecordingS3BucketName { get; set; }
    public string? RecordingS3Prefix { get; set; }
    public string Protocol { get; init; } = "WHIP";
    public string ReplicationType { get; set; } = "NONE";
    public string? ReplicationState { get; set; }
    public string? SourceStageArn { get; set; }
    public string? SourceSessionId { get; set; }
    public string? IngestConfigurationArn { get; init; }
    public string? IspName { get; init; }
    public string? OsName { get; init; }
    public string? OsVersion { get; init; }
    public string? BrowserName { get; init; }
    public string? BrowserVersion { get; init; }
    public string? SdkVersion { get; init; }

    /// <summary>This participant's events, oldest first (what ListParticipantEvents returns).</summary>
    public List<ParticipantEventRecord> Events { get; } = [];
}

public sealed record ParticipantEventRecord(string Name, string ParticipantId, DateTimeOffset EventTime)
{
    public string? RemoteParticipantId { get; init; }
    public string? ErrorCode { get; init; }
    public string? DestinationStageArn { get; init; }
    public string? DestinationSessionId { get; init; }
    public bool? Replica { get; init; }
}
