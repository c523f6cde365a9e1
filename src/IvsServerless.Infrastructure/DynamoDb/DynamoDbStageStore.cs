using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Stages;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>Stages in the single table: conditional writes guard creation and every update (optimistic version).</summary>
public sealed class DynamoDbStageStore(IAmazonDynamoDB dynamo, DynamoDbOptions options) : IStageStore, IStageBatchReader, IStageCatalog
{
    /// <summary>BatchGetItem's limit.</summary>
    private const int MaxBatchGetKeys = 100;

    /// <summary>Requests for keys DynamoDB leaves unprocessed (throttling) before the lookup fails.</summary>
    private const int MaxBatchGetAttempts = 5;

    private static readonly string[] OwnerIndexKey =
        [TableLayout.PartitionKey, TableLayout.SortKey, TableLayout.OwnerIndexPartitionKey, TableLayout.OwnerIndexSortKey];

    private static readonly string[] LiveIndexKey =
        [TableLayout.PartitionKey, TableLayout.SortKey, TableLayout.LiveIndexPartitionKey, TableLayout.LiveIndexSortKey];

    public async Task AddAsync(Stage stage, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = StageItem.From(stage),
                ConditionExpression = "attribute_not_exists(PK)",
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The SDK retries a write whose response was lost; the retry then fails its own condition. The item this
            // request wrote (same IVS stage, still at version 1) is success, anything else a real conflict.
            if (await FindAsync(stage.StageId, cancellationToken) is { } stored && stored.IsRecordOf(stage))
            {
                return;
            }

            throw new StageConflictException($"Stage {stage.StageId} already exists.");
        }
    }

    public async Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(stageId),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? StageItem.To(item) : null;
    }

    public async Task<IReadOnlyDictionary<string, Stage>> FindManyAsync(
        IReadOnlyCollection<string> stageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stageIds);
        var found = new Dictionary<string, Stage>(StringComparer.Ordinal);
        foreach (var chunk in stageIds.Distinct(StringComparer.Ordinal).Chunk(MaxBatchGetKeys))
        {
            var keys = new KeysAndAttributes { Keys = [.. chunk.Select(Key)], ConsistentRead = true };
            for (var attempt = 1; keys.Keys.Count > 0; attempt++)
            {
                if (attempt > MaxBatchGetAttempts)
                {
                    throw new ProvisionedThroughputExceededException(
                        $"{keys.Keys.Count} stage keys still unprocessed after {MaxBatchGetAttempts} BatchGetItem requests.");
                }

                if (attempt > 1)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(25 << attempt), cancellationToken);
                }

                var response = await dynamo.BatchGetItemAsync(new BatchGetItemRequest
                {
                    RequestItems = new Dictionary<string, KeysAndAttributes> { [options.TableName] = keys },
                }, cancellationToken);
                foreach (var item in response.Responses?.GetValueOrDefault(options.TableName) ?? [])
                {
                    var stage = StageItem.To(item);
                    found[stage.StageId] = stage;
                }

                keys = response.UnprocessedKeys?.GetValueOrDefault(options.TableName) ?? new KeysAndAttributes { Keys = [] };
            }
        }

        return found;
    }

    public async Task UpdateAsync(Stage updated, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = StageItem.From(updated),
                ConditionExpression = "version = :expected",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":expected"] = new() { N = (updated.Version - 1).ToString(CultureInfo.InvariantCulture) },
                },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new StageConflictException(
                $"Stage {updated.StageId} changed since version {updated.Version - 1} was read, or does not exist.");
        }
    }

    public Task<Page<Stage>> ListOwnedByAsync(string ownerId, PageRequest page, CancellationToken cancellationToken) =>
        QueryNewestFirstAsync(TableLayout.OwnerIndex, TableLayout.OwnerIndexPartitionKey, TableLayout.OwnerPartition(ownerId),
            OwnerIndexKey, page, cancellationToken);

    public Task<Page<Stage>> ListLivePublicAsync(PageRequest page, CancellationToken cancellationToken) =>
        QueryNewestFirstAsync(TableLayout.LiveIndex, TableLayout.LiveIndexPartitionKey, TableLayout.LivePartition,
            LiveIndexKey, page, cancellationToken);

    private async Task<Page<Stage>> QueryNewestFirstAsync(string index, string partitionAttribute, string partition,
        string[] keyAttributes, PageRequest page, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = options.TableName,
            IndexName = index,
            KeyConditionExpression = $"{partitionAttribute} = :partition",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":partition"] = new() { S = partition } },
            ScanIndexForward = false,
            Limit = Math.Clamp(page.Limit, 1, PageRequest.MaxLimit),
            ExclusiveStartKey = PageCursor.Decode(page.Cursor, keyAttributes, partitionAttribute, partition, IsStageItemKey),
        };
        var response = await PageCursor.QueryAsync(page.Cursor, () => dynamo.QueryAsync(request, cancellationToken));

        return new Page<Stage>(response.Items.Select(StageItem.To).ToList(), PageCursor.Encode(response.LastEvaluatedKey));
    }

    /// <summary>
    /// A parallel-scan segment of the owner index: it holds every stage item not marked deleted (a deleted stage leaves
    /// it) besides the stages' session entries, which the filter drops, and none of the projection's other items.
    /// </summary>
    public async IAsyncEnumerable<Stage> ListSliceAsync(int slice, int slices,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamo.ScanAsync(new ScanRequest
            {
                TableName = options.TableName,
                IndexName = TableLayout.OwnerIndex,
                Segment = slice,
                TotalSegments = slices,
                FilterExpression = $"begins_with({TableLayout.OwnerIndexPartitionKey}, :owner)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":owner"] = new() { S = TableLayout.OwnerPartition("") },
                },
                ExclusiveStartKey = start,
            }, cancellationToken);
            foreach (var item in response.Items)
            {
                yield return StageItem.To(item);
            }

            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }

    /// <summary>A stage listing only ever stops on a stage item.</summary>
    private static bool IsStageItemKey(IReadOnlyDictionary<string, string> key) =>
        key[TableLayout.PartitionKey].StartsWith(TableLayout.StagePartition(""), StringComparison.Ordinal)
        && key[TableLayout.PartitionKey].Length > TableLayout.StagePartition("").Length
        && key[TableLayout.SortKey] == TableLayout.StageSortKey;

    private static Dictionary<string, AttributeValue> Key(string stageId) => new()
    {
        [TableLayout.PartitionKey] = new() { S = TableLayout.StagePartition(stageId) },
        [TableLayout.SortKey] = new() { S = TableLayout.StageSortKey },
    };
}
