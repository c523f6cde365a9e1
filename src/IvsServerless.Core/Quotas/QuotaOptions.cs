namespace IvsServerless.Core.Quotas;

/// <summary>Per-user limits, so that one user cannot use up the account's IVS quotas for everyone.</summary>
public sealed record QuotaOptions
{
    public const int DefaultStagesPerOwner = 25;
    public const int DefaultConcurrentCompositionsPerOwner = 2;
    public const int DefaultTokenMintsPerMinute = 60;
    public const int DefaultIngestConfigurationsPerStage = 2;
    public const int MaxIngestConfigurationsPerStage = 20;

    /// <summary>Stages a user may own at once (deleted ones do not count). The account holds 1,000 per region.</summary>
    public int StagesPerOwner { get; init; } = DefaultStagesPerOwner;

    /// <summary>Compositions not yet stopped or failed, over all stages a user owns. The account runs 20 at once by default.</summary>
    public int ConcurrentCompositionsPerOwner { get; init; } = DefaultConcurrentCompositionsPerOwner;

    /// <summary>Participant tokens one user may get per calendar minute, over all stages.</summary>
    public int TokenMintsPerMinute { get; init; } = DefaultTokenMintsPerMinute;

    /// <summary>Ingest configurations (RTMP(S) encoders) one stage may have. Each is an IVS resource of the account's quota.</summary>
    public int IngestConfigurationsPerStage { get; init; } = DefaultIngestConfigurationsPerStage;

    /// <summary>Empty when valid; otherwise one message per bad value.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Check(problems, nameof(StagesPerOwner), StagesPerOwner, 1000);
        Check(problems, nameof(ConcurrentCompositionsPerOwner), ConcurrentCompositionsPerOwner, 100);
        Check(problems, nameof(TokenMintsPerMinute), TokenMintsPerMinute, 10_000);
        Check(problems, nameof(IngestConfigurationsPerStage), IngestConfigurationsPerStage, MaxIngestConfigurationsPerStage);
        return problems;
    }

    private static void Check(List<string> problems, string name, int value, int max)
    {
        if (value < 1 || value > max)
        {
            problems.Add($"{name} must be 1..{max} (was {value}).");
        }
    }
}
