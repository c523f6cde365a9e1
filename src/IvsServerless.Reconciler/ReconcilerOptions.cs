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

    /// <summary>
    /// A run stops this long before the Lambda deadline, to save its checkpoint (one table write) and answer. With the
    /// function's 55 s timeout: a 53 s budget, the lease held until 55 s, the next scheduled run at 60 s.
    /// </summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A run never works longer than this, so runs of a one-minute schedule do not overlap. 53 s, of which the last
    /// <see cref="StageDrainTime"/> start no new stage: about 260 <c>ListParticipants</c> calls per run at 5/s, so four
    /// runs cover 1,000 live stages with room to spare (at 50 s they held exactly 1,000, with no room for any loss).
    /// </summary>
    public TimeSpan MaxRunTime { get; init; } = TimeSpan.FromSeconds(53);

    /// <summary>
    /// The end of a run in which the stages already started finish and no new one starts (at most a quarter of the
    /// run): a stage cut off by the deadline is done again by the next run, its <c>ListParticipants</c> call wasted.
    /// </summary>
    public TimeSpan StageDrainTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Stages worked on at once (each whole, in listing order), so that the <c>ListParticipants</c> bucket never waits on
    /// a stage's table writes, IVS latency or <c>ListParticipantEvents</c> lookups. Every IVS operation keeps its own
    /// bucket, shared by all of them.
    /// </summary>
    public int StageConcurrency { get; init; } = 4;

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

        if (StageConcurrency is < 1 or > 16)
        {
            errors.Add($"StageConcurrency must be 1..16 (was {StageConcurrency}).");
        }

        if (StageDrainTime < TimeSpan.Zero)
        {
            errors.Add("StageDrainTime must not be negative.");
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
