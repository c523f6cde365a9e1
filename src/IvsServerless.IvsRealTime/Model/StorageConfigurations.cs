namespace IvsServerless.IvsRealTime;

public sealed record CreateStorageConfigurationRequest
{
    public required S3StorageConfiguration S3 { get; init; }
    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record CreateStorageConfigurationResponse
{
    public StorageConfiguration? StorageConfiguration { get; init; }
}

public sealed record GetStorageConfigurationRequest
{
    public required string Arn { get; init; }
}

public sealed record GetStorageConfigurationResponse
{
    public StorageConfiguration? StorageConfiguration { get; init; }
}

public sealed record DeleteStorageConfigurationRequest
{
    public required string Arn { get; init; }
}

public sealed record DeleteStorageConfigurationResponse;

public sealed record ListStorageConfigurationsRequest
{
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListStorageConfigurationsResponse
{
    public IReadOnlyList<StorageConfigurationSummary> StorageConfigurations { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record StorageConfiguration
{
    public string Arn { get => field ?? ""; init; }
    public string? Name { get; init; }
    public S3StorageConfiguration? S3 { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record StorageConfigurationSummary
{
    public string Arn { get => field ?? ""; init; }
    public string? Name { get; init; }
    public S3StorageConfiguration? S3 { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record S3StorageConfiguration
{
    public required string BucketName { get; init; }
}
