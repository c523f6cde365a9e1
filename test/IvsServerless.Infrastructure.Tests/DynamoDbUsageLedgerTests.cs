using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>The ledger on DynamoDB Local: the limit holds under concurrency, and a repeated claim counts once.</summary>
public sealed class DynamoDbUsageLedgerTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    private readonly DynamoDbUsageLedger _ledger = new(table.Client, table.Options);

    [Fact]
    public async Task Concurrent_claims_stop_exactly_at_the_limit_even_on_a_ledger_that_did_not_exist()
    {
        var name = "STAGES#" + Guid.NewGuid().ToString("N");

        var granted = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => _ledger.TryClaimAsync(name, "claim-" + i, "pending", 5, null, default)));

        Assert.Equal(5, granted.Count(g => g));
        Assert.Equal(5, (await _ledger.ReadAsync(name, default)).Count);
    }

    [Fact]
    public async Task The_same_claim_again_is_granted_without_counting_twice_even_when_full()
    {
        var name = "MINTS#" + Guid.NewGuid().ToString("N");
        Assert.True(await _ledger.TryClaimAsync(name, "a", "1", 2, DateTimeOffset.UtcNow.AddMinutes(2), default));
        Assert.True(await _ledger.TryClaimAsync(name, "a", "1", 2, null, default));
        Assert.True(await _ledger.TryClaimAsync(name, "b", "1", 2, null, default));

        Assert.True(await _ledger.TryClaimAsync(name, "b", "1", 2, null, default));
        Assert.False(await _ledger.TryClaimAsync(name, "c", "1", 2, null, default));
        Assert.Equal(["a", "b"], (await _ledger.ReadAsync(name, default)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Set_confirms_a_held_claim_and_release_frees_it()
    {
        var name = "COMPOSITIONS#" + Guid.NewGuid().ToString("N");
        Assert.True(await _ledger.TryClaimAsync(name, "a", "pending@1", 1, null, default));

        await _ledger.SetAsync(name, "a", "composition:s/c", default);
        await _ledger.SetAsync(name, "gone", "composition:s/x", default);

        Assert.Equal("composition:s/c", Assert.Single(await _ledger.ReadAsync(name, default)).Value);
        await _ledger.ReleaseAsync(name, ["a", "never-held"], default);
        Assert.Empty(await _ledger.ReadAsync(name, default));
        Assert.True(await _ledger.TryClaimAsync(name, "b", "pending@2", 1, null, default));
        Assert.Empty(await new DynamoDbUsageLedger(table.Client, table.Options).ReadAsync("never-made", default));
    }
}
