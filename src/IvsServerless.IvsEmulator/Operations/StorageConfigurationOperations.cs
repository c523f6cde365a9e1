using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>CreateStorageConfiguration, GetStorageConfiguration, DeleteStorageConfiguration, ListStorageConfigurations.</summary>
public static class StorageConfigurationOperations
{
    public const int Quota = 5;

    public static void Register(OperationTable table)
    {
        table.Add("CreateStorageConfiguration", CreateStorageConfiguration);
        table.Add("GetStorageConfiguration", GetStorageConfiguration);
        table.Add("DeleteStorageConfiguration", DeleteStorageConfiguration);
        table.Add("ListStorageConfigurations", ListStorageConfigurations);
    }

    private static object CreateStorageConfiguration(OperationContext context, RequestReader input)
    {
        var name = input.String("name", max: 128, pattern: Patterns.Name(), patternText: Patterns.ResourceName) ?? "";
        // The bucket cannot be checked offline (the real service also edits its policy): any well-formed name is accepted.
        var bucketName = input.Object("s3", required: true)?.String(
            "bucketName", required: true, min: 3, max: 63, pattern: Patterns.BucketName());
        var tags = input.Tags();
        input.ThrowIfInvalid();

        if (context.State.StorageConfigurations.Count >= Quota)
        {
            throw IvsException.QuotaExceeded($"Limit of {Quota} storage configurations per region exceeded.");
        }

        var configuration = new StorageConfigurationRecord
        {
            Arn = context.NewArn("storage-configuration", ResourceIds.NewId()),
            Name = name,
            BucketName = bucketName!,
            Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        context.State.StorageConfigurations.Add(configuration.Arn, configuration);
        context.State.Taggable.Add(configuration.Arn, configuration);
        return new { storageConfiguration = ToStorageConfiguration(configuration) };
    }

    private static object GetStorageConfiguration(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();
        return new { storageConfiguration = ToStorageConfiguration(Find(context, arn!)) };
    }

    private static object DeleteStorageConfiguration(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();

        var configuration = Find(context, arn!);
        var composition = context.State.Compositions.Values.FirstOrDefault(c => c.IsLive && c.UsesStorageConfiguration(configuration.Arn));
        if (composition is not null)
        {
            throw IvsException.Conflict(
                $"Storage configuration {configuration.Arn} is used by composition {composition.Arn}; stop it and wait for STOPPED first.");
        }

        var stage = context.State.Stages.Values.FirstOrDefault(s => s.Recording.StorageConfigurationArn == configuration.Arn);
        if (stage is not null)
        {
            throw IvsException.Conflict(
                $"Storage configuration {configuration.Arn} is used for participant recording by stage {stage.Arn}.");
        }

        context.State.StorageConfigurations.Remove(configuration.Arn);
        context.State.Taggable.Remove(configuration.Arn);
        return EmptyResponse.Instance;
    }

    private static object ListStorageConfigurations(OperationContext context, RequestReader input)
    {
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 100);
        input.ThrowIfInvalid();

        var page = context.Pages.Paginate(
            "ListStorageConfigurations", context.State.StorageConfigurations.Values, s => s.Arn, nextToken, maxResults);
        return new { storageConfigurations = page.Items.Select(ToStorageConfiguration), nextToken = page.NextToken };
    }

    /// <summary>StorageConfiguration and StorageConfigurationSummary have the same members.</summary>
    public static object ToStorageConfiguration(StorageConfigurationRecord configuration) => new
    {
        arn = configuration.Arn,
        name = configuration.Name,
        s3 = new { bucketName = configuration.BucketName },
        tags = configuration.Tags,
    };

    public static string? ReadArn(RequestReader input, string name, bool required = true) =>
        input.String(name, required, 1, 128, Patterns.StorageConfigurationArn());

    /// <summary>The storage configuration with this ARN, or 404.</summary>
    public static StorageConfigurationRecord Find(OperationContext context, string arn) =>
        context.State.StorageConfigurations.TryGetValue(arn, out var configuration)
            ? configuration
            : throw IvsException.NotFound($"Storage configuration {arn} not found");
}
