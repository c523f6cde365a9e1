using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Live;

/// <summary>One open WebSocket connection and the user its <c>$connect</c> authenticated.</summary>
public sealed record LiveConnection(string ConnectionId, string UserId, DateTimeOffset ConnectedAt);

/// <summary>A connection subscribed to a stage.</summary>
public sealed record LiveSubscriber(string ConnectionId, string UserId);

/// <summary>
/// Connections, their subscriptions and each stage's live version, in the table (see Infrastructure/Live/README.md).
/// Every item expires after API Gateway's two-hour connection limit, so a connection whose <c>$disconnect</c> never
/// ran does not linger.
/// </summary>
public interface ILiveConnectionStore
{
    Task AddAsync(LiveConnection connection, CancellationToken cancellationToken);

    Task<LiveConnection?> FindAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>Removes the connection and all of its subscriptions (already gone is success).</summary>
    Task RemoveAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>Subscribes; false when the connection already has <paramref name="maxSubscriptions"/> other stages.</summary>
    Task<bool> SubscribeAsync(LiveConnection connection, string stageId, int maxSubscriptions, CancellationToken cancellationToken);

    Task UnsubscribeAsync(string connectionId, string stageId, CancellationToken cancellationToken);

    /// <summary>The stage's subscribed connections (strongly consistent).</summary>
    Task<IReadOnlyList<LiveSubscriber>> SubscribersAsync(string stageId, CancellationToken cancellationToken);

    /// <summary>Every open connection of a user (for messages to that user).</summary>
    Task<IReadOnlyList<string>> ConnectionsOfAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The stage's live version now (0 before its first change).</summary>
    Task<long> CurrentVersionAsync(string stageId, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="count"/> (0 reads) to the stage's live version atomically and returns the new value.</summary>
    Task<long> AdvanceVersionAsync(string stageId, int count, CancellationToken cancellationToken);

    /// <summary>The user id of a participant of one of the stage's sessions, when known (for a kick).</summary>
    Task<string?> ParticipantUserAsync(string stageId, string sessionId, string participantId, CancellationToken cancellationToken);
}

/// <summary>What became of a message posted to a connection.</summary>
public enum PostOutcome
{
    Delivered,

    /// <summary>The connection is gone (API Gateway's 410): forget it.</summary>
    Gone,
}

/// <summary>The API Gateway Management API's <c>POST /@connections/{connectionId}</c>.</summary>
public interface IConnectionPoster
{
    /// <exception cref="HttpRequestException">Any other failure (throttling, 5xx): the change is retried.</exception>
    Task<PostOutcome> PostAsync(string connectionId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}

/// <summary>Who a message of a change is for.</summary>
public abstract record Audience
{
    /// <summary>Every connection subscribed to the stage (that may still see it).</summary>
    public static Audience Subscribers { get; } = new StageSubscribers();

    public static Audience User(string userId) => new UserAudience(userId);

    public static Audience Participant(string sessionId, string participantId) => new ParticipantAudience(sessionId, participantId);
}

public sealed record StageSubscribers : Audience;

/// <summary>Every connection of one user, subscribed or not.</summary>
public sealed record UserAudience(string UserId) : Audience;

/// <summary>The connections of the user behind a participant (resolved from the participant's item).</summary>
public sealed record ParticipantAudience(string SessionId, string ParticipantId) : Audience;

public sealed record Delivery(Audience Audience, StageMessage Message);

/// <summary>
/// What one change of the table means to clients: the messages and who gets them, with versions still to be assigned
/// (<see cref="StageMessage.Version"/> is 0). <see cref="StageAfter"/> is the stage as the change left it, when the change
/// was to the stage item: subscribers it no longer lets see the stage lose their subscription.
/// </summary>
public sealed record LiveChange(string StageId, IReadOnlyList<Delivery> Deliveries, Stage? StageAfter = null, bool StageGone = false)
{
    public static LiveChange None(string stageId) => new(stageId, []);

    /// <summary>How many versions the change takes: one per message to the stage's subscribers.</summary>
    public int VersionCount => Deliveries.Count(d => d.Audience is StageSubscribers);
}

/// <summary>
/// Kicks, recorded so the kicked user learns of them over the live channel (IVS sends no event for a kick). The notifier
/// finds the user behind the participant; the record expires after a day.
/// </summary>
public interface IKickLog
{
    Task RecordAsync(
        string stageId, string? sessionId, string participantId, string? reason, DateTimeOffset at, CancellationToken cancellationToken);
}
