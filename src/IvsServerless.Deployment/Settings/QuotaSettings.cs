using IvsServerless.Core.Quotas;

namespace IvsServerless.Deployment.Settings;

/// <summary>Per-user limits of the API (<see cref="QuotaOptions"/>). Unset values take its defaults.</summary>
public sealed record QuotaSettings
{
    public const int MaxStagesPerOwner = 1000;
    public const int MaxConcurrentCompositionsPerOwner = 100;
    public const int MaxTokenMintsPerMinute = 10_000;

    /// <summary><c>QUOTA_STAGES_PER_OWNER</c>: stages one user may own at once.</summary>
    public int? StagesPerOwner { get; init; }

    /// <summary><c>QUOTA_CONCURRENT_COMPOSITIONS_PER_OWNER</c>: running compositions over one user's stages.</summary>
    public int? ConcurrentCompositionsPerOwner { get; init; }

    /// <summary><c>QUOTA_TOKEN_MINTS_PER_MINUTE</c>: participant tokens one user may get per minute.</summary>
    public int? TokenMintsPerMinute { get; init; }

    /// <summary><c>QUOTA_INGEST_CONFIGURATIONS_PER_STAGE</c>: ingest configurations (encoders) one stage may have.</summary>
    public int? IngestConfigurationsPerStage { get; init; }

    public QuotaOptions Options() => new()
    {
        StagesPerOwner = StagesPerOwner ?? QuotaOptions.DefaultStagesPerOwner,
        ConcurrentCompositionsPerOwner = ConcurrentCompositionsPerOwner ?? QuotaOptions.DefaultConcurrentCompositionsPerOwner,
        TokenMintsPerMinute = TokenMintsPerMinute ?? QuotaOptions.DefaultTokenMintsPerMinute,
        IngestConfigurationsPerStage = IngestConfigurationsPerStage ?? QuotaOptions.DefaultIngestConfigurationsPerStage,
    };

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        ("QUOTA_STAGES_PER_OWNER", StagesPerOwner),
        ("QUOTA_CONCURRENT_COMPOSITIONS_PER_OWNER", ConcurrentCompositionsPerOwner),
        ("QUOTA_TOKEN_MINTS_PER_MINUTE", TokenMintsPerMinute),
        ("QUOTA_INGEST_CONFIGURATIONS_PER_STAGE", IngestConfigurationsPerStage));

    public static QuotaSettings Read(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new QuotaSettings
        {
            StagesPerOwner = environment.Number("QUOTA_STAGES_PER_OWNER", 1, MaxStagesPerOwner, "stages"),
            ConcurrentCompositionsPerOwner = environment.Number(
                "QUOTA_CONCURRENT_COMPOSITIONS_PER_OWNER", 1, MaxConcurrentCompositionsPerOwner, "compositions"),
            TokenMintsPerMinute = environment.Number("QUOTA_TOKEN_MINTS_PER_MINUTE", 1, MaxTokenMintsPerMinute, "tokens per minute"),
            IngestConfigurationsPerStage = environment.Number(
                "QUOTA_INGEST_CONFIGURATIONS_PER_STAGE", 1, QuotaOptions.MaxIngestConfigurationsPerStage, "ingest configurations"),
        };
    }
}
