using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Paging;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>Failures that are not conflicts must reach the caller as they are (it maps them to 503/retry).</summary>
public sealed class FailureTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    private readonly DynamoDbOptions _missing = new() { TableName = table.TableName + "-missing" };

    [Fact]
    public async Task Stage_writes_and_reads_on_a_missing_table_propagate()
    {
        var store = new DynamoDbStageStore(table.Client, _missing);
        var stage = Stages.New();

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => store.AddAsync(stage, default));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => store.UpdateAsync(stage with { Version = 2 }, default));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => store.FindAsync(stage.StageId, default));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => store.ListLivePublicAsync(new PageRequest(null, 10), default));
    }

    [Fact]
    public async Task A_composition_transaction_failing_for_another_reason_is_not_a_conflict()
    {
        var store = new DynamoDbCompositionStore(table.Client, _missing);
        var composition = new Composition("arn:aws:ivs:us-east-1:123456789012:composition/abcdefabcdef", "stage1", "user-1", "k",
            "STARTING", DateTimeOffset.UtcNow);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => store.AddAsync(composition, default));

        Assert.IsNotType<CompositionConflictException>(thrown);
        Assert.IsAssignableFrom<Amazon.DynamoDBv2.AmazonDynamoDBException>(thrown);
    }
}
