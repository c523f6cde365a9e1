using IvsServerless.Core.Reconciliation;

namespace IvsServerless.Reconciler;

public sealed class ReconcilerOptions
{
    /// <summary>The IVS rate quota of the operations used here (except tags, 10 TPS), per account and region.</summary>
    public const int IvsQuotaPerSecond = ReconcilerDefaults.IvsCallsPerSecond;

    /// <summary>The <c>ivs-serverless:managed-by</c> tag value of this deployment: only those stages are touched.</summary>
    public required string DeploymentTag { get; init; }

    /// <summary>A stage with no session activity (and, for a stage never used, no creation) for this long is deleted.</summary>
    public TimeSpan IdleStageAfter { get; init; } = TimeSpan.FromMinutes(ReconcilerDefaults.IdleStageMinutes);

    /// <summary>Calls per second per IVS operation, at most <see cref="IvsQuotaPerSecond"/>.</summary>
    public int CallsPerSecond { get; init; } = IvsQuotaPerSecond;

    /// <summary>A run stops starting work this long before the Lambda deadline (to save its checkpoint and answer).</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A run never works longer than this, so runs of a one-minute schedule do not overlap.</summary>
    public TimeSpan MaxRunTime { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary>Stages per <c>ListStages</c> page (IVS allows 1..100).</summary>
    public int StagesPageSize { get; init; } = 100;

    public int ConflictRetries { get; init; } = 3;

    /// <summary>
    /// Vouched publishers are looked up anyway once every this many cycles (a different slice each cycle; prime, so
    /// cycles starting at any minutes walk through every slice): the projection cannot see that its last publish event
    /// was lost. 37: under 3 % of publishers per steady pass. 1: every publisher on every pass.
    /// </summary>
    public int PublishRecheckSlices { get; init; } = 37;

    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DeploymentTag))
        {
            errors.Add("DeploymentTag is required.");
        }

        if (IdleStageAfter < TimeSpan.FromMinutes(1))
        {
            errors.Add($"IdleStageAfter must be at least one minute (was {IdleStageAfter}).");
        }

        if (CallsPerSecond is < 1 or > IvsQuotaPerSecond)
        {
            errors.Add($"CallsPerSecond must be 1..{IvsQuotaPerSecond} (was {CallsPerSecond}).");
        }

        if (DeadlineMargin < TimeSpan.Zero || MaxRunTime <= TimeSpan.Zero)
        {
            errors.Add("DeadlineMargin must not be negative and MaxRunTime must be positive.");
        }

        if (PublishRecheckSlices < 1)
        {
            errors.Add($"PublishRecheckSlices must be at least 1 (was {PublishRecheckSlices}).");
        }

        if (StagesPageSize is < 1 or > 100)
        {
            errors.Add($"StagesPageSize must be 1..100 (was {StagesPageSize}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid ReconcilerOptions: " + string.Join(" ", errors));
        }
    }
}
