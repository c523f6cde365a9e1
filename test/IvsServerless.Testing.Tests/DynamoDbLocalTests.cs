using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Testing.Tests;

public sealed class DynamoDbLocalTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    private static Dictionary<string, AttributeValue> Item(string pk, string sk, string gsiPk, string gsiSk) => new()
    {
        ["PK"] = new(pk),
        ["SK"] = new(sk),
        ["GSI1PK"] = new(gsiPk),
        ["GSI1SK"] = new(gsiSk),
    };

    private static string Unique(string name) => $"{name}#{Guid.NewGuid():N}";

    [Fact]
    public async Task Engine_is_reached_on_loopback_and_holds_the_fixture_table()
    {
        Assert.StartsWith("http://127.0.0.1:", table.Engine.ServiceUrl, StringComparison.Ordinal);

        var described = await table.Client.DescribeTableAsync(table.TableName);

        Assert.StartsWith("items-", table.TableName, StringComparison.Ordinal);
        Assert.Equal(TableStatus.ACTIVE, described.Table.TableStatus);
        Assert.Equal(ItemsTable.Index, Assert.Single(described.Table.GlobalSecondaryIndexes).IndexName);
    }

    [Fact]
    public async Task Test_classes_share_one_engine()
    {
        var other = await DynamoDbLocal.GetSharedAsync();

        Assert.Same(table.Engine, other);
    }

    [Fact]
    public async Task Conditional_put_succeeds_once_then_fails_with_ConditionalCheckFailed()
    {
        var put = new PutItemRequest
        {
            TableName = table.TableName,
            Item = Item(Unique("STAGE"), "META", "OWNER#1", "STAGE#1"),
            ConditionExpression = "attribute_not_exists(PK)",
        };

        await table.Client.PutItemAsync(put);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => table.Client.PutItemAsync(put));
    }

    [Fact]
    public async Task TransactWriteItems_writes_all_items_or_none()
    {
        var pk = Unique("STAGE");
        TransactWriteItem Put(string sk) => new()
        {
            Put = new()
            {
                TableName = table.TableName,
                Item = Item(pk, sk, "OWNER#tx", sk),
                ConditionExpression = "attribute_not_exists(PK)",
            },
        };

        await table.Client.TransactWriteItemsAsync(new() { TransactItems = [Put("META"), Put("MEMBER#1")] });

        // META exists now, so the whole second transaction is cancelled and MEMBER#2 is not written.
        var cancelled = await Assert.ThrowsAsync<TransactionCanceledException>(() =>
            table.Client.TransactWriteItemsAsync(new() { TransactItems = [Put("MEMBER#2"), Put("META")] }));
        Assert.Equal("ConditionalCheckFailed", cancelled.CancellationReasons[1].Code);

        var items = await table.Client.QueryAsync(new QueryRequest
        {
            TableName = table.TableName,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new(pk) },
        });
        Assert.Equal(["MEMBER#1", "META"], items.Items.Select(i => i["SK"].S));
    }

    [Fact]
    public async Task Query_on_the_GSI_finds_items_by_the_index_key_in_sort_order()
    {
        var owner = Unique("OWNER");
        foreach (var (stage, created) in new[] { ("b", "2025-02"), ("a", "2025-01"), ("c", "2025-03") })
        {
            await table.Client.PutItemAsync(table.TableName, Item($"STAGE#{stage}", "META", owner, created));
        }

        var page = await table.Client.QueryAsync(new QueryRequest
        {
            TableName = table.TableName,
            IndexName = ItemsTable.Index,
            KeyConditionExpression = "GSI1PK = :owner AND GSI1SK >= :since",
            ExpressionAttributeValues = new() { [":owner"] = new(owner), [":since"] = new("2025-02") },
        });

        Assert.Equal(["STAGE#b", "STAGE#c"], page.Items.Select(i => i["PK"].S));
    }

    [Fact]
    public async Task Unique_tables_get_the_prefix_and_distinct_names()
    {
        static CreateTableRequest Define(string name) => new()
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH)],
        };

        var first = await table.Engine.CreateUniqueTableAsync("scratch", Define);
        var second = await table.Engine.CreateUniqueTableAsync("scratch", Define);

        Assert.NotEqual(first, second);
        Assert.Matches("^scratch-[0-9a-f]{12}$", first);
        await table.Client.DeleteTableAsync(first);
        await table.Client.DeleteTableAsync(second);
    }
}
