namespace IvsServerless.Core.Compositions;

/// <summary>
/// A server-side composition started through this backend: which stage, who started it, and the client's
/// idempotency key (a retried start returns the same composition). <see cref="State"/> is the IVS state
/// (STARTING, ACTIVE, STOPPING, STOPPED, FAILED), kept current by the event pipeline, which also records why IVS
/// ended it (<see cref="FailureReason"/>) and how each destination fares (null until an event reports one).
/// </summary>
public sealed record Composition(
    string CompositionArn,
    string StageId,
    string StartedBy,
    string IdempotencyKey,
    string State,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt = null,
    string? FailureReason = null,
    IReadOnlyList<CompositionDestination>? Destinations = null,
    CompositionRecordingTarget? Recording = null)
{
    /// <summary>Whether the state is final (STOPPED or FAILED): the composition no longer runs.</summary>
    public static bool IsFinished(string state) => state is "STOPPED" or "FAILED";

    public string CompositionId => CompositionArn[(CompositionArn.LastIndexOf('/') + 1)..];
}

/// <summary>
/// One destination of a composition as the last IVS event about it said: ACTIVE, RECONNECTING, STOPPED or FAILED; when it
/// started (earliest Destination Start) and ended (latest Destination End or Failure), null until such an event arrived.
/// </summary>
public sealed record CompositionDestination(
    string DestinationId, string State, string? Reason, DateTimeOffset? StartedAt = null, DateTimeOffset? EndedAt = null);

/// <summary>
/// Where a composition's S3 destination records, as the API learnt it when IVS accepted the start: the destination,
/// the storage configuration it writes through, the key prefix IVS chose (<c>detail.s3.recordingPrefix</c>) and the stage's
/// live session at that moment (null when none was known yet).
/// </summary>
public sealed record CompositionRecordingTarget(
    string DestinationId, string StorageConfigurationArn, string S3KeyPrefix, string? SessionId);

/// <summary>Where compositions live.</summary>
public interface ICompositionStore
{
    /// <summary>The composition a start with this key already created on this stage, if any.</summary>
    Task<Composition?> FindByIdempotencyKeyAsync(string stageId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new composition and claims its idempotency key in one transaction (the invariant spans two
    /// items). Throws <see cref="CompositionConflictException"/> if the key is already claimed.
    /// </summary>
    Task AddAsync(Composition composition, CancellationToken cancellationToken);

    Task<Composition?> FindAsync(string stageId, string compositionId, CancellationToken cancellationToken);

    /// <summary>The stage's compositions, newest first.</summary>
    Task<IReadOnlyList<Composition>> ListForStageAsync(string stageId, CancellationToken cancellationToken);

    /// <summary>Records a new state; the event pipeline and stop both call it.</summary>
    Task SetStateAsync(string stageId, string compositionId, string state, DateTimeOffset? endedAt, CancellationToken cancellationToken);
}

public sealed class CompositionConflictException(string message) : Exception(message);
