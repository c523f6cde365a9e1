using System.Collections.Concurrent;
using IvsServerless.Core.Projection;

namespace IvsServerless.Testing.Projection;

/// <summary>Rejected events in memory; like the DynamoDB store, the first copy of an event is kept.</summary>
public sealed class InMemoryRejectedEventStore : IRejectedEventStore
{
    private readonly ConcurrentDictionary<string, RejectedEvent> _events = new(StringComparer.Ordinal);

    public IReadOnlyCollection<RejectedEvent> All => [.. _events.Values];

    public Task StoreAsync(RejectedEvent rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        _events.TryAdd(rejected.Key, rejected);
        return Task.CompletedTask;
    }
}
