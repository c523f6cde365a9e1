namespace IvsServerless.Core.Stages;

/// <summary>
/// Individual participant recording of a stage, as the owner set it: the options of the IVS stage's
/// <c>autoParticipantRecordingConfiguration</c> (names, enums and bounds as the IVS model has them); the storage configuration
/// is the deployment's, not the owner's. A stage without one (null) does not record.
/// </summary>
public sealed record StageRecording
{
    public const string AudioVideo = "AUDIO_VIDEO";
    public const string ThumbnailsDisabled = "DISABLED";
    public const string ThumbnailsInterval = "INTERVAL";
    public const string SequentialThumbnails = "SEQUENTIAL";

    public static IReadOnlyList<string> MediaTypeValues { get; } = [AudioVideo, "AUDIO_ONLY", "NONE"];
    public static IReadOnlyList<string> ThumbnailRecordingModeValues { get; } = [ThumbnailsInterval, ThumbnailsDisabled];
    public static IReadOnlyList<string> ThumbnailStorageValues { get; } = [SequentialThumbnails, "LATEST"];

    public static (int Min, int Max) ThumbnailIntervalSecondsRange => (1, 86400);
    public static (int Min, int Max) ReconnectWindowSecondsRange => (0, 300);
    public static (int Min, int Max) TargetSegmentDurationSecondsRange => (2, 10);

    /// <summary>AUDIO_VIDEO (IVS default), AUDIO_ONLY or NONE (thumbnails only).</summary>
    public string MediaType { get; init; } = AudioVideo;

    /// <summary>INTERVAL or DISABLED (IVS default).</summary>
    public string ThumbnailRecordingMode { get; init; } = ThumbnailsDisabled;

    /// <summary>1-86400; IVS default 60.</summary>
    public int ThumbnailTargetIntervalSeconds { get; init; } = 60;

    /// <summary>SEQUENTIAL and/or LATEST; IVS default SEQUENTIAL.</summary>
    public IReadOnlyList<string> ThumbnailStorage { get; init; } = [SequentialThumbnails];

    /// <summary>0-300: a publisher back within this window continues the same recording; 0 (IVS default) never merges.</summary>
    public int RecordingReconnectWindowSeconds { get; init; }

    /// <summary>2-10; IVS default 6.</summary>
    public int HlsTargetSegmentDurationSeconds { get; init; } = 6;

    public bool Equals(StageRecording? other) =>
        other is not null && MediaType == other.MediaType && ThumbnailRecordingMode == other.ThumbnailRecordingMode
        && ThumbnailTargetIntervalSeconds == other.ThumbnailTargetIntervalSeconds
        && ThumbnailStorage.SequenceEqual(other.ThumbnailStorage, StringComparer.Ordinal)
        && RecordingReconnectWindowSeconds == other.RecordingReconnectWindowSeconds
        && HlsTargetSegmentDurationSeconds == other.HlsTargetSegmentDurationSeconds;

    public override int GetHashCode() => HashCode.Combine(MediaType, ThumbnailRecordingMode, ThumbnailTargetIntervalSeconds,
        ThumbnailStorage.Count, RecordingReconnectWindowSeconds, HlsTargetSegmentDurationSeconds);
}
