using IvsServerless.Core.Reconciliation;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Reconciler.Tests;

/// <summary>The checkpoint item on DynamoDB Local: lease exclusivity, expiry, save and release. Tests share one item, so they run in
/// order.</summary>
public sealed class CheckpointStoreTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Lease_checkpoint_and_release_round_trip()
    {
        var store = new DynamoDbReconcilerCheckpointStore(table.Client, table.Options);

        Assert.Equal(ReconcilerCheckpoint.Start, await store.TryAcquireAsync("run-1", T0, T0.AddSeconds(55), default));
        Assert.Null(await store.TryAcquireAsync("run-2", T0.AddSeconds(10), T0.AddSeconds(65), default));

        var saved = new ReconcilerCheckpoint("token-7", 42, T0.AddMinutes(-3));
        Assert.True(await store.SaveAsync("run-1", saved, release: false, default));
        Assert.False(await store.SaveAsync("run-2", ReconcilerCheckpoint.Start, release: true, default));
        Assert.True(await store.SaveAsync("run-1", saved, release: true, default));

        Assert.Equal(saved, await store.TryAcquireAsync("run-2", T0.AddSeconds(20), T0.AddSeconds(75), default));

        // run-2 crashes holding the lease: run-3 waits until it expires, then takes over where run-2's checkpoint was.
        Assert.Null(await store.TryAcquireAsync("run-3", T0.AddSeconds(74), T0.AddSeconds(130), default));
        Assert.Equal(saved, await store.TryAcquireAsync("run-3", T0.AddSeconds(76), T0.AddSeconds(130), default));
        Assert.False(await store.SaveAsync("run-2", ReconcilerCheckpoint.Start, release: true, default));

        Assert.True(await store.SaveAsync("run-3", ReconcilerCheckpoint.Start, release: true, default));
        Assert.Equal(ReconcilerCheckpoint.Start, await store.TryAcquireAsync("run-4", T0.AddSeconds(80), T0.AddSeconds(135), default));
    }
}
