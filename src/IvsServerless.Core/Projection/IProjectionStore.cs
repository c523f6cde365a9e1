using IvsServerless.Core.Events;

namespace IvsServerless.Core.Projection;

/// <summary>
/// Where the projection lives (DynamoDB in production, in-memory in unit tests). Both writes are idempotent and
/// order-tolerant, so callers may redeliver freely; they throw only for transient failures (the caller retries).
/// </summary>
public interface IProjectionStore
{
    /// <summary>Mirrors <see cref="Projector.Apply"/> for one event.</summary>
    Task ApplyAsync(ParsedIvsEvent ivsEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Mirrors <see cref="Projector.ApplyAll"/> for a batch, in any order: the indices of the events whose effects may
    /// not all be written (a write failed), which the caller retries; every other event is fully applied. Stores that
    /// can, write each item of a <see cref="ProjectionBatch"/> once and report the participants whose publishing value
    /// the batch left contested (<see cref="PublishingTie"/>); this default applies the events one by one and reports none.
    /// </summary>
    async Task<ProjectionBatchResult> ApplyBatchAsync(IReadOnlyList<ParsedIvsEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var failed = new HashSet<int>();
        for (var i = 0; i < events.Count; i++)
        {
            try
            {
                await ApplyAsync(events[i], cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One event's failure must not fail the others of its batch: it alone is retried.
                failed.Add(i);
            }
        }

        return new ProjectionBatchResult(failed, []);
    }

    /// <summary>
    /// Presence, which no event reports: what <c>ListParticipants</c> said at <see cref="ParticipantPresence.ObservedAt"/>.
    /// Its own field group (<c>connected</c> + <c>presenceStamp</c>): the newest observation wins.
    /// </summary>
    Task RecordPresenceAsync(ParticipantPresence presence, CancellationToken cancellationToken);
}

/// <summary>
/// What a batch did: the indices of the events to retry, and the participants whose publishing value is contested by an
/// opposite event of the same second (<see cref="PublishingTie"/>), which the caller settles with the IVS API.
/// </summary>
public sealed record ProjectionBatchResult(IReadOnlySet<int> Failed, IReadOnlyList<ParticipantKey> ContestedPublishing);

/// <summary>One participant as the IVS API listed it (state CONNECTED or DISCONNECTED) at one moment.</summary>
public sealed record ParticipantPresence(
    ParticipantKey Key,
    bool Connected,
    string? UserId,
    DateTimeOffset? FirstJoinTime,
    bool PublishedEver,
    DateTimeOffset ObservedAt);
