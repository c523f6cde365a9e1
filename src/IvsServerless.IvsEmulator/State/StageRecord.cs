namespace IvsServerless.IvsEmulator.State;

public sealed partial class EmulatorState
{
    public Dictionary<string, StageRecord> Stages { get; } = new(StringComparer.Ordinal);
}

public sealed class StageRecord : ITaggable
{
    public required string Arn { get; init; }
    public required string Name { get; set; }
    public required StageEndpoints Endpoints { get; init; }
    public required AutoParticipantRecordingConfiguration Recording { get; set; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The live session; null when nobody is connected.</summary>
    public StageSessionRecord? ActiveSession { get; set; }

    /// <summary>Every session of this stage, oldest first.</summary>
    public List<StageSessionRecord> Sessions { get; } = [];

    public string Id => ResourceIds.IdOf(Arn);
}

public sealed record StageEndpoints(string Events, string Whip, string Rtmp, string Rtmps);

public sealed record AutoParticipantRecordingConfiguration(
    string StorageConfigurationArn,
    IReadOnlyList<string> MediaTypes,
    ParticipantThumbnailConfiguration ThumbnailConfiguration,
    int RecordingReconnectWindowSeconds,
    ParticipantRecordingHlsConfiguration HlsConfiguration,
    bool RecordParticipantReplicas)
{
    /// <summary>What the service returns when recording is not configured.</summary>
    public static AutoParticipantRecordingConfiguration Disabled { get; } = new(
        "", ["AUDIO_VIDEO"], new ParticipantThumbnailConfiguration(60, ["SEQUENTIAL"], "DISABLED"), 0,
        new ParticipantRecordingHlsConfiguration(6), true);

    public bool Enabled => StorageConfigurationArn.Length > 0;
}

public sealed record ParticipantThumbnailConfiguration(int TargetIntervalSeconds, IReadOnlyList<string> Storage, string RecordingMode);

public sealed record ParticipantRecordingHlsConfiguration(int TargetSegmentDurationSeconds);
