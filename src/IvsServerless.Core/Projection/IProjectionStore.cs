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
    /// Presence, which no event reports: what <c>ListParticipants</c> said at <see cref="ParticipantPresence.ObservedAt"/>.
    /// Its own field group (<c>connected</c> + <c>presenceStamp</c>): the newest observation wins.
    /// </summary>
    Task RecordPresenceAsync(ParticipantPresence presence, CancellationToken cancellationToken);
}

/// <summary>One participant as the IVS API listed it (state CONNECTED or DISCONNECTED) at one moment.</summary>
public sealed record ParticipantPresence(
    ParticipantKey Key,
    bool Connected,
    string? UserId,
    DateTimeOffset? FirstJoinTime,
    bool PublishedEver,
    DateTimeOffset ObservedAt);
