using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Reconciliation;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// The reconciler's checkpoint and lease: one item (<c>PK = RECONCILER</c>, <c>SK = CHECKPOINT</c>), every write
/// conditional on the lease (see README.md).
/// </summary>
public sealed class DynamoDbReconcilerCheckpointStore(IAmazonDynamoDB dynamo, DynamoDbOptions options) : IReconcilerCheckpointStore
{
    public async Task<ReconcilerCheckpoint?> TryAcquireAsync(
        string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        try
        {
            var response = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(),
                UpdateExpression = "SET leaseOwner = :owner, leaseUntil = :until",
                ConditionExpression = "attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":owner"] = new() { S = owner },
                    [":until"] = new() { S = StageItem.SortableTime(leaseUntil) },
                    [":now"] = new() { S = StageItem.SortableTime(now) },
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return Read(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    public async Task<bool> SaveAsync(string owner, ReconcilerCheckpoint checkpoint, bool release, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var set = new List<string> { "pagePosition = :position" };
        var remove = new List<string>();
        var values = new Dictionary<string, AttributeValue>
        {
            [":owner"] = new() { S = owner },
            [":position"] = new() { N = checkpoint.Position.ToString(CultureInfo.InvariantCulture) },
        };
        if (checkpoint.PageToken is { } token)
        {
            set.Add("pageToken = :token");
            values[":token"] = new() { S = token };
        }
        else
        {
            remove.Add("pageToken");
        }

        if (checkpoint.CycleStartedAt is { } cycle)
        {
            set.Add("cycleStartedAt = :cycle");
            values[":cycle"] = new() { S = StageItem.SortableTime(cycle) };
        }
        else
        {
            remove.Add("cycleStartedAt");
        }

        if (release)
        {
            remove.Add("leaseOwner");
            remove.Add("leaseUntil");
        }

        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(),
                UpdateExpression = "SET " + string.Join(", ", set) + (remove.Count > 0 ? " REMOVE " + string.Join(", ", remove) : ""),
                ConditionExpression = "leaseOwner = :owner",
                ExpressionAttributeValues = values,
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static ReconcilerCheckpoint Read(Dictionary<string, AttributeValue>? item) => item is null
        ? ReconcilerCheckpoint.Start
        : new ReconcilerCheckpoint(
            item.TryGetValue("pageToken", out var token) ? token.S : null,
            item.TryGetValue("pagePosition", out var position) ? int.Parse(position.N, CultureInfo.InvariantCulture) : 0,
            item.TryGetValue("cycleStartedAt", out var cycle)
                ? DateTimeOffset.Parse(cycle.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null);

    private static Dictionary<string, AttributeValue> Key() => new()
    {
        [TableLayout.PartitionKey] = new() { S = TableLayout.ReconcilerPartition },
        [TableLayout.SortKey] = new() { S = TableLayout.ReconcilerCheckpointSortKey },
    };
}
