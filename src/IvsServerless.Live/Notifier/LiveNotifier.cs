using System.Text.Json;
using IvsServerless.Core.Live;
using IvsServerless.Core.Storage;
using IvsServerless.Infrastructure.Live;
using IvsServerless.Live.Streams;

namespace IvsServerless.Live.Notifier;

/// <summary>What one batch cost, for logs and the benchmark.</summary>
public sealed record NotifierResult(string? FirstFailedSequenceNumber, int Changes, int Posted, int Gone);

/// <summary>
/// Turns stream records into messages on connections, in stream order (a stage's items share a partition key, so its
/// changes arrive in order). Per change: the stage's live version advances by one per message to its subscribers
/// (one atomic update), the subscribers are read (one strongly consistent Query), every message is posted, connections
/// that are gone (410) are forgotten, and subscribers the stage no longer lets see it get <c>access-revoked</c> and lose
/// their subscription. A failure stops the batch there and reports that record: Lambda retries from it, so nothing is
/// skipped; a retried change takes new versions, so a client that got part of it sees a gap and refetches.
/// </summary>
public sealed class LiveNotifier(ILiveConnectionStore store, IConnectionPoster poster, int parallelPosts = 64)
{
    public async Task<NotifierResult> ProcessAsync(IReadOnlyList<StreamEventRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var counters = new Counters();
        foreach (var record in records)
        {
            var change = TableChangeMapper.Map(record.Change);
            if (change is null || (change.Deliveries.Count == 0 && change.StageAfter is null))
            {
                continue;
            }

            try
            {
                await DeliverAsync(change, counters, cancellationToken);
                counters.Changes++;
            }
            catch (Exception e) when (e is HttpRequestException or Amazon.Runtime.AmazonServiceException or StoreUnavailableException
                or TaskCanceledException
                && !cancellationToken.IsCancellationRequested)
            {
                return new NotifierResult(record.SequenceNumber, counters.Changes, counters.Posted, counters.Gone);
            }
        }

        return new NotifierResult(null, counters.Changes, counters.Posted, counters.Gone);
    }

    private async Task DeliverAsync(LiveChange change, Counters counters, CancellationToken ct)
    {
        var stageId = change.StageId;
        var last = change.Deliveries.Count > 0 ? await store.AdvanceVersionAsync(stageId, change.VersionCount, ct) : 0;
        var next = last - change.VersionCount + 1;
        var toSubscribers = change.Deliveries.Any(d => d.Audience is StageSubscribers) || change.StageAfter is not null;
        var subscribers = toSubscribers ? await store.SubscribersAsync(stageId, ct) : [];
        var revoked = change.StageAfter is { } stage && !change.StageGone
            ? subscribers.Where(s => !stage.IsVisibleTo(s.UserId)).ToList()
            : [];
        var allowed = subscribers.Except(revoked).Select(s => s.ConnectionId).ToList();

        foreach (var delivery in change.Deliveries)
        {
            var message = delivery.Message.WithVersion(delivery.Audience is StageSubscribers ? next++ : last);
            var connections = await RecipientsAsync(stageId, delivery.Audience, allowed, ct);
            await PostAllAsync(connections, message, counters, ct);
        }

        if (revoked.Count > 0)
        {
            await PostAllAsync([.. revoked.Select(r => r.ConnectionId)], new AccessRevoked(stageId, last), counters, ct);
        }

        // Dropped after the last message they get: a deleted stage ends every subscription, a revoked one its own.
        foreach (var subscriber in change.StageGone ? subscribers : revoked)
        {
            await store.UnsubscribeAsync(subscriber.ConnectionId, stageId, ct);
        }
    }

    private async Task<IReadOnlyList<string>> RecipientsAsync(
        string stageId, Audience audience, IReadOnlyList<string> subscribers, CancellationToken ct) => audience switch
        {
            StageSubscribers => subscribers,
            UserAudience user => await store.ConnectionsOfAsync(user.UserId, ct),
            ParticipantAudience p => await store.ParticipantUserAsync(stageId, p.SessionId, p.ParticipantId, ct) is { } userId
                ? await store.ConnectionsOfAsync(userId, ct)
                : [],
            _ => [],
        };

    private async Task PostAllAsync(IReadOnlyList<string> connections, LiveMessage message, Counters counters, CancellationToken ct)
    {
        if (connections.Count == 0)
        {
            return;
        }

        var bytes = Serialize(message);
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = parallelPosts, CancellationToken = ct },
            async (connectionId, token) =>
            {
                if (await poster.PostAsync(connectionId, bytes, token) == PostOutcome.Gone)
                {
                    Interlocked.Increment(ref counters.Gone);
                    await store.RemoveAsync(connectionId, token);
                }
                else
                {
                    Interlocked.Increment(ref counters.Posted);
                }
            });
    }

    public static byte[] Serialize(LiveMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, LiveJsonContext.Default.LiveMessage);

    private sealed class Counters
    {
        public int Changes;
        public int Posted;
        public int Gone;
    }
}
