namespace IvsServerless.IvsRealTime;

public sealed record CreateEncoderConfigurationRequest
{
    public string? Name { get; init; }
    public Video? Video { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record CreateEncoderConfigurationResponse
{
    public EncoderConfiguration? EncoderConfiguration { get; init; }
}

public sealed record GetEncoderConfigurationRequest
{
    public required string Arn { get; init; }
}

public sealed record GetEncoderConfigurationResponse
{
    public EncoderConfiguration? EncoderConfiguration { get; init; }
}

public sealed record DeleteEncoderConfigurationRequest
{
    public required string Arn { get; init; }
}

public sealed record DeleteEncoderConfigurationResponse;

public sealed record ListEncoderConfigurationsRequest
{
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListEncoderConfigurationsResponse
{
    public IReadOnlyList<EncoderConfigurationSummary> EncoderConfigurations { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record EncoderConfiguration
{
    public string Arn { get => field ?? ""; init; }
    public string? Name { get; init; }
    public Video? Video { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record EncoderConfigurationSummary
{
    public string Arn { get => field ?? ""; init; }
    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>IVS defaults: 1280x720, 30 fps, 2,500,000 bps. Width and height must be even.</summary>
public sealed record Video
{
    public int? Width { get; init; }
    public int? Height { get; init; }
    public float? Framerate { get; init; }
    public int? Bitrate { get; init; }
}
