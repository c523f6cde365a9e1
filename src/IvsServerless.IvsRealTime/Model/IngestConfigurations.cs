namespace IvsServerless.IvsRealTime;

public sealed record CreateIngestConfigurationRequest
{
    public string? Name { get; init; }
    public string? StageArn { get; init; }
    public string? UserId { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public required IngestProtocol IngestProtocol { get; init; }

    /// <summary>Required (true) by IVS with <see cref="IngestProtocol.Rtmp"/>.</summary>
    public bool? InsecureIngest { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record CreateIngestConfigurationResponse
{
    public IngestConfiguration? IngestConfiguration { get; init; }
}

public sealed record GetIngestConfigurationRequest
{
    public required string Arn { get; init; }
}

public sealed record GetIngestConfigurationResponse
{
    public IngestConfiguration? IngestConfiguration { get; init; }
}

public sealed record DeleteIngestConfigurationRequest
{
    public required string Arn { get; init; }

    /// <summary>Deletes a configuration an encoder is publishing with (which disconnects it).</summary>
    public bool? Force { get; init; }
}

public sealed record DeleteIngestConfigurationResponse;

public sealed record ListIngestConfigurationsRequest
{
    public string? FilterByStageArn { get; init; }
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListIngestConfigurationsResponse
{
    public IReadOnlyList<IngestConfigurationSummary> IngestConfigurations { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

/// <summary>An ingest configuration; <see cref="StreamKey"/> is a secret (never log it).</summary>
public sealed record IngestConfiguration
{
    public string Arn { get => field ?? ""; init; }
    public string? Name { get; init; }
    public IngestProtocol IngestProtocol { get; init; }
    public string StreamKey { get => field ?? ""; init; }
    public string StageArn { get => field ?? ""; init; }
    public string ParticipantId { get => field ?? ""; init; }
    public string? State { get; init; }
    public string? UserId { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>A listed ingest configuration: never the stream key.</summary>
public sealed record IngestConfigurationSummary
{
    public string Arn { get => field ?? ""; init; }
    public string? Name { get; init; }
    public IngestProtocol IngestProtocol { get; init; }
    public string StageArn { get => field ?? ""; init; }
    public string ParticipantId { get => field ?? ""; init; }
    public string? State { get; init; }
    public string? UserId { get; init; }
}
