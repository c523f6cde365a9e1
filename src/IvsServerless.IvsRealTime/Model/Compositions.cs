namespace IvsServerless.IvsRealTime;

public sealed record StartCompositionRequest
{
    public required string StageArn { get; init; }

    /// <summary>One or two destinations, each with exactly one of Channel / S3.</summary>
    public required IReadOnlyList<DestinationConfiguration> Destinations { get; init; }

    /// <summary>Left empty, the client fills in a random UUID once, so its own retries stay idempotent (as the AWS SDKs do).</summary>
    public string? IdempotencyToken { get; init; }

    public LayoutConfiguration? Layout { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record StartCompositionResponse
{
    public Composition? Composition { get; init; }
}

public sealed record StopCompositionRequest
{
    public required string Arn { get; init; }
}

public sealed record StopCompositionResponse;

public sealed record GetCompositionRequest
{
    public required string Arn { get; init; }
}

public sealed record GetCompositionResponse
{
    public Composition? Composition { get; init; }
}

public sealed record ListCompositionsRequest
{
    public string? FilterByStageArn { get; init; }
    public string? FilterByEncoderConfigurationArn { get; init; }
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListCompositionsResponse
{
    public IReadOnlyList<CompositionSummary> Compositions { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record Composition
{
    public string Arn { get => field ?? ""; init; }
    public string StageArn { get => field ?? ""; init; }
    public CompositionState State { get; init; }
    public LayoutConfiguration? Layout { get; init; }
    public IReadOnlyList<Destination> Destinations { get => field ?? []; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
}

public sealed record CompositionSummary
{
    public string Arn { get => field ?? ""; init; }
    public string StageArn { get => field ?? ""; init; }
    public IReadOnlyList<DestinationSummary> Destinations { get => field ?? []; init; }
    public CompositionState State { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
}

public sealed record Destination
{
    public string Id { get => field ?? ""; init; }
    public DestinationState State { get; init; }
    public DestinationConfiguration? Configuration { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public DestinationDetail? Detail { get; init; }
}

public sealed record DestinationSummary
{
    public string Id { get => field ?? ""; init; }
    public DestinationState State { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
}

public sealed record DestinationConfiguration
{
    public string? Name { get; init; }
    public ChannelDestinationConfiguration? Channel { get; init; }
    public S3DestinationConfiguration? S3 { get; init; }
}

public sealed record ChannelDestinationConfiguration
{
    public required string ChannelArn { get; init; }
    public string? EncoderConfigurationArn { get; init; }
}

public sealed record S3DestinationConfiguration
{
    public required string StorageConfigurationArn { get; init; }

    /// <summary>Exactly one encoder configuration ARN.</summary>
    public required IReadOnlyList<string> EncoderConfigurationArns { get; init; }

    public RecordingConfiguration? RecordingConfiguration { get; init; }
    public IReadOnlyList<CompositionThumbnailConfiguration>? ThumbnailConfigurations { get; init; }
}

public sealed record RecordingConfiguration
{
    public CompositionRecordingHlsConfiguration? HlsConfiguration { get; init; }
    public RecordingConfigurationFormat? Format { get; init; }
}

public sealed record CompositionRecordingHlsConfiguration
{
    public int? TargetSegmentDurationSeconds { get; init; }
}

public sealed record CompositionThumbnailConfiguration
{
    public int? TargetIntervalSeconds { get; init; }
    public IReadOnlyList<ThumbnailStorageType>? Storage { get; init; }
}

public sealed record DestinationDetail
{
    public S3Detail? S3 { get; init; }
}

public sealed record S3Detail
{
    public string RecordingPrefix { get => field ?? ""; init; }
}

public sealed record LayoutConfiguration
{
    public GridConfiguration? Grid { get; init; }
    public PipConfiguration? Pip { get; init; }
}

public sealed record GridConfiguration
{
    public string? FeaturedParticipantAttribute { get; init; }
    public bool? OmitStoppedVideo { get; init; }
    public VideoAspectRatio? VideoAspectRatio { get; init; }
    public VideoFillMode? VideoFillMode { get; init; }
    public int? GridGap { get; init; }
    public string? ParticipantOrderAttribute { get; init; }
}

public sealed record PipConfiguration
{
    public string? FeaturedParticipantAttribute { get; init; }
    public bool? OmitStoppedVideo { get; init; }
    public VideoFillMode? VideoFillMode { get; init; }
    public int? GridGap { get; init; }
    public string? PipParticipantAttribute { get; init; }
    public PipBehavior? PipBehavior { get; init; }
    public int? PipOffset { get; init; }
    public PipPosition? PipPosition { get; init; }
    public int? PipWidth { get; init; }
    public int? PipHeight { get; init; }
    public string? ParticipantOrderAttribute { get; init; }
}
