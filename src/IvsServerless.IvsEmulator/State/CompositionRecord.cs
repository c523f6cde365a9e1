namespace IvsServerless.IvsEmulator.State;

public sealed partial class EmulatorState
{
    /// <summary>Compositions by ARN, including STOPPED ones until their retention ends.</summary>
    public Dictionary<string, CompositionRecord> Compositions { get; } = new(StringComparer.Ordinal);
}

public static class CompositionStates
{
    public const string Starting = "STARTING";
    public const string Active = "ACTIVE";
    public const string Stopping = "STOPPING";
    public const string Stopped = "STOPPED";
    public const string Failed = "FAILED";
}

public sealed class CompositionRecord : ITaggable
{
    public required string Arn { get; init; }
    public required string StageArn { get; init; }
    public required LayoutConfiguration Layout { get; init; }
    public required IReadOnlyList<DestinationRecord> Destinations { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public string? IdempotencyToken { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    public string State { get; set; } = CompositionStates.Starting;
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>Whether Session Start was emitted, so that a composition stopped before it started sends no Session End.</summary>
    public bool SessionStarted { get; set; }

    /// <summary>Since when the stage has had no publisher (null while someone publishes): the idle auto-stop clock.</summary>
    public DateTimeOffset? IdleSince { get; set; }

    public string Id => ResourceIds.IdOf(Arn);

    /// <summary>Not yet STOPPED or FAILED: counts against quotas and holds its configurations in use.</summary>
    public bool IsLive => State is not (CompositionStates.Stopped or CompositionStates.Failed);

    /// <summary>STARTING or ACTIVE: can still be stopped.</summary>
    public bool IsRunning => State is CompositionStates.Starting or CompositionStates.Active;

    public bool UsesEncoderConfiguration(string arn) => Destinations.Any(d =>
        d.Configuration.Channel?.EncoderConfigurationArn == arn || d.Configuration.S3?.EncoderConfigurationArns.Contains(arn) == true);

    public bool UsesStorageConfiguration(string arn) => Destinations.Any(d => d.Configuration.S3?.StorageConfigurationArn == arn);
}

public sealed class DestinationRecord
{
    public required string Id { get; init; }
    public required DestinationConfiguration Configuration { get; init; }
    public DestinationDetail? Detail { get; init; }
    public string State { get; set; } = CompositionStates.Starting;
    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? EndTime { get; set; }
}

// The wire shapes of a composition's configuration, with the documented defaults filled in.

public sealed record DestinationConfiguration(string Name, ChannelDestinationConfiguration? Channel, S3DestinationConfiguration? S3);

public sealed record ChannelDestinationConfiguration(string ChannelArn, string? EncoderConfigurationArn);

public sealed record S3DestinationConfiguration(
    string StorageConfigurationArn,
    IReadOnlyList<string> EncoderConfigurationArns,
    RecordingConfiguration RecordingConfiguration,
    IReadOnlyList<CompositionThumbnailConfiguration>? ThumbnailConfigurations);

public sealed record RecordingConfiguration(string Format, CompositionRecordingHlsConfiguration HlsConfiguration);

public sealed record CompositionRecordingHlsConfiguration(int TargetSegmentDurationSeconds);

public sealed record CompositionThumbnailConfiguration(int TargetIntervalSeconds, IReadOnlyList<string> Storage);

public sealed record DestinationDetail(S3Detail S3);

public sealed record S3Detail(string RecordingPrefix);

public sealed record LayoutConfiguration(GridConfiguration? Grid, PipConfiguration? Pip);

public sealed record GridConfiguration(
    string FeaturedParticipantAttribute,
    bool OmitStoppedVideo,
    string VideoAspectRatio,
    string? VideoFillMode,
    int GridGap,
    string ParticipantOrderAttribute);

public sealed record PipConfiguration(
    string FeaturedParticipantAttribute,
    bool OmitStoppedVideo,
    string VideoFillMode,
    int GridGap,
    string PipParticipantAttribute,
    string PipBehavior,
    int PipOffset,
    string PipPosition,
    int? PipWidth,
    int? PipHeight,
    string ParticipantOrderAttribute);
