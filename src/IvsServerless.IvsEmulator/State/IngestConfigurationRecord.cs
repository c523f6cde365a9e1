namespace IvsServerless.IvsEmulator.State;

public sealed partial class EmulatorState
{
    public Dictionary<string, IngestConfigurationRecord> IngestConfigurations { get; } = new(StringComparer.Ordinal);
}

public static class IngestConfigurationStates
{
    /// <summary>Someone is publishing with the stream key (set by the simulation).</summary>
    public const string Active = "ACTIVE";
    public const string Inactive = "INACTIVE";
}

public sealed class IngestConfigurationRecord : ITaggable
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required string IngestProtocol { get; init; }
    public required string StreamKey { get; init; }
    public required string ParticipantId { get; init; }
    public string? UserId { get; init; }
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public bool InsecureIngest { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The stage publishers join with this key, or "" when detached.</summary>
    public required string StageArn { get; set; }

    public string State { get; set; } = IngestConfigurationStates.Inactive;
    public bool RedundantIngest { get; set; }

    /// <summary>The backup path's credentials; present only while <see cref="RedundantIngest"/> is on.</summary>
    public IReadOnlyList<RedundantIngestCredential>? RedundantIngestCredentials { get; set; }

    public string Id => ResourceIds.IdOf(Arn);
}

public sealed record RedundantIngestCredential(string ParticipantId, string StreamKey);
