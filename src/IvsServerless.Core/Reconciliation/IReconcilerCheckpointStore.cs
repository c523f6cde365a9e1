namespace IvsServerless.Core.Reconciliation;

/// <summary>
/// Where the reconciler keeps its place between runs (one DynamoDB item in production). The lease keeps two runs
/// from working at once — two runs would each spend the full IVS call budget, doubling the rate IVS sees.
/// </summary>
public interface IReconcilerCheckpointStore
{
    /// <summary>
    /// Takes the lease until <paramref name="leaseUntil"/> if nobody holds it at <paramref name="now"/>, and returns the
    /// checkpoint (<see cref="ReconcilerCheckpoint.Start"/> when there is none yet); null when another run holds the lease.
    /// </summary>
    Task<ReconcilerCheckpoint?> TryAcquireAsync(
        string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the checkpoint if <paramref name="owner"/> still holds the lease (false otherwise: its lease expired and
    /// another run took over, so this one must stop). <paramref name="release"/> gives the lease up.
    /// </summary>
    Task<bool> SaveAsync(string owner, ReconcilerCheckpoint checkpoint, bool release, CancellationToken cancellationToken);
}

/// <summary>
/// Where the pass over <c>ListStages</c> stands: the page token that fetched the page being worked on (null = the first
/// page) and how many stages of that page are done. Stages appear and disappear between runs, so a position may
/// point one stage off; the pass is idempotent, so a stage done twice or left to the next cycle is harmless.
/// </summary>
/// <param name="CycleStartedAt">When the current pass over all stages began (null before the first one).</param>
public sealed record ReconcilerCheckpoint(string? PageToken, int Position, DateTimeOffset? CycleStartedAt)
{
    public static ReconcilerCheckpoint Start { get; } = new(null, 0, null);
}
