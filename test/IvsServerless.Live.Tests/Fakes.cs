using System.Collections.Concurrent;
using IvsServerless.Core.Live;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Stages;

namespace IvsServerless.Live.Tests;

/// <summary>The connection store in memory, counting writes (a refused frame must write nothing).</summary>
internal sealed class InMemoryLiveStore : ILiveConnectionStore
{
    private readonly ConcurrentDictionary<string, LiveConnection> _connections = new();
    private readonly ConcurrentDictionary<(string Stage, string Connection), string> _subscriptions = new();
    private readonly ConcurrentDictionary<string, long> _versions = new();

    public int Writes;

    public Dictionary<(string, string, string), string> ParticipantUsers { get; } = [];

    public Task AddAsync(LiveConnection connection, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Writes);
        _connections[connection.ConnectionId] = connection;
        return Task.CompletedTask;
    }

    public Task<LiveConnection?> FindAsync(string connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.TryGetValue(connectionId, out var c) ? c : null);

    public Task RemoveAsync(string connectionId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Writes);
        _connections.TryRemove(connectionId, out _);
        foreach (var key in _subscriptions.Keys.Where(k => k.Connection == connectionId))
        {
            _subscriptions.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    public Task<bool> SubscribeAsync(LiveConnection connection, string stageId, int maxSubscriptions, CancellationToken cancellationToken)
    {
        if (!_connections.ContainsKey(connection.ConnectionId)
            || (_subscriptions.Keys.Count(k => k.Connection == connection.ConnectionId) >= maxSubscriptions
                && !_subscriptions.ContainsKey((stageId, connection.ConnectionId))))
        {
            return Task.FromResult(false);
        }

        Interlocked.Increment(ref Writes);
        _subscriptions[(stageId, connection.ConnectionId)] = connection.UserId;
        return Task.FromResult(true);
    }

    public Task UnsubscribeAsync(string connectionId, string stageId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Writes);
        _subscriptions.TryRemove((stageId, connectionId), out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LiveSubscriber>> SubscribersAsync(string stageId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LiveSubscriber>>(
            [.. _subscriptions.Where(s => s.Key.Stage == stageId).Select(s => new LiveSubscriber(s.Key.Connection, s.Value))
                .OrderBy(s => s.ConnectionId, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<string>> ConnectionsOfAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _connections.Values.Where(c => c.UserId == userId).Select(c => c.ConnectionId)]);

    public Task<long> CurrentVersionAsync(string stageId, CancellationToken cancellationToken) =>
        Task.FromResult(_versions.GetValueOrDefault(stageId));

    public Task<long> AdvanceVersionAsync(string stageId, int count, CancellationToken cancellationToken) =>
        Task.FromResult(_versions.AddOrUpdate(stageId, count, (_, v) => v + count));

    public Task<string?> ParticipantUserAsync(
        string stageId, string sessionId, string participantId, CancellationToken cancellationToken) =>
        Task.FromResult(ParticipantUsers.TryGetValue((stageId, sessionId, participantId), out var user) ? user : null);
}

/// <summary>Records what was posted to which connection; some connections are gone, some fail.</summary>
internal sealed class RecordingPoster : IConnectionPoster
{
    public ConcurrentQueue<(string Connection, string Json)> Posts { get; } = new();

    public HashSet<string> Gone { get; } = [];

    public HashSet<string> Failing { get; } = [];

    public Task<PostOutcome> PostAsync(string connectionId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (Failing.Contains(connectionId))
        {
            throw new HttpRequestException("throttled", null, System.Net.HttpStatusCode.TooManyRequests);
        }

        if (Gone.Contains(connectionId))
        {
            return Task.FromResult(PostOutcome.Gone);
        }

        Posts.Enqueue((connectionId, System.Text.Encoding.UTF8.GetString(message.Span)));
        return Task.FromResult(PostOutcome.Delivered);
    }

    public List<string> To(string connectionId) => [.. Posts.Where(p => p.Connection == connectionId).Select(p => p.Json)];
}

internal sealed class InMemoryStageStore : IStageStore
{
    public Dictionary<string, Stage> Stages { get; } = [];

    public Task AddAsync(Stage stage, CancellationToken cancellationToken)
    {
        Stages[stage.StageId] = stage;
        return Task.CompletedTask;
    }

    public Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken) =>
        Task.FromResult(Stages.TryGetValue(stageId, out var stage) ? stage : null);

    public Task UpdateAsync(Stage updated, CancellationToken cancellationToken)
    {
        Stages[updated.StageId] = updated;
        return Task.CompletedTask;
    }

    public Task<Page<Stage>> ListOwnedByAsync(string ownerId, PageRequest page, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Page<Stage>> ListLivePublicAsync(PageRequest page, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
