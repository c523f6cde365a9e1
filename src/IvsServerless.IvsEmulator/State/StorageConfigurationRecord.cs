namespace IvsServerless.IvsEmulator.State;

public sealed partial class EmulatorState
{
    public Dictionary<string, StorageConfigurationRecord> StorageConfigurations { get; } = new(StringComparer.Ordinal);
}

public sealed class StorageConfigurationRecord : ITaggable
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required string BucketName { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}
