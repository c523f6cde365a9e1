using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Live;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Live;

/// <summary>
/// Live connections in the single table (layout in README.md beside this file): the connection, an entry under its
/// user, one entry per subscription under the stage (so a stage's subscribers are one strongly consistent Query, no
/// index), and the stage's live version. Everything but the version expires with API Gateway's 2-hour limit.
/// </summary>
public sealed class DynamoDbLiveConnectionStore(IAmazonDynamoDB dynamo, DynamoDbOptions options) : ILiveConnectionStore
{
    /// <summary>API Gateway closes a WebSocket connection after two hours; a minute of margin for clock skew.</summary>
    public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1);

    public const string ConnectionSortKey = "CONNECTION";
    public const string VersionSortKey = "VERSION";

    public static string ConnectionPartition(string connectionId) => "CONNECTION#" + connectionId;

    public static string UserPartition(string userId) => "LIVEUSER#" + userId;

    public static string SubscribersPartition(string stageId) => "SUBSCRIBERS#" + stageId;

    public static string ConnectionEntry(string connectionId) => "CONNECTION#" + connectionId;

    public async Task AddAsync(LiveConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var expires = Expiry(connection);
        await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem
                {
                    Put = new Put
                    {
                        TableName = options.TableName,
                        Item = new Dictionary<string, AttributeValue>
                        {
                            [TableLayout.PartitionKey] = S(ConnectionPartition(connection.ConnectionId)),
                            [TableLayout.SortKey] = S(ConnectionSortKey),
                            ["connectionId"] = S(connection.ConnectionId),
                            ["userId"] = S(connection.UserId),
                            ["connectedAt"] = S(StageItem.SortableTime(connection.ConnectedAt)),
                            [TableLayout.ExpiresAt] = expires,
                        },
                    },
                },
                new TransactWriteItem
                {
                    Put = new Put
                    {
                        TableName = options.TableName,
                        Item = new Dictionary<string, AttributeValue>
                        {
                            [TableLayout.PartitionKey] = S(UserPartition(connection.UserId)),
                            [TableLayout.SortKey] = S(ConnectionEntry(connection.ConnectionId)),
                            ["connectionId"] = S(connection.ConnectionId),
                            [TableLayout.ExpiresAt] = expires,
                        },
                    },
                },
            ],
        }, cancellationToken);
    }

    public async Task<LiveConnection?> FindAsync(string connectionId, CancellationToken cancellationToken)
    {
        var item = await GetConnectionItemAsync(connectionId, cancellationToken);
        return item is null ? null : ToConnection(item);
    }

    public async Task RemoveAsync(string connectionId, CancellationToken cancellationToken)
    {
        var item = await GetConnectionItemAsync(connectionId, cancellationToken);
        if (item is null)
        {
            return;
        }

        var userId = item["userId"].S;
        var keys = new List<Dictionary<string, AttributeValue>>
        {
            Key(ConnectionPartition(connectionId), ConnectionSortKey),
            Key(UserPartition(userId), ConnectionEntry(connectionId)),
        };
        keys.AddRange(Stages(item).Select(stageId => Key(SubscribersPartition(stageId), ConnectionEntry(connectionId))));
        // One DeleteItem per key (at most 2 + 25): no BatchWriteItem grant, and each delete is already idempotent.
        await Task.WhenAll(keys.Select(key =>
            dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = options.TableName, Key = key }, cancellationToken)));
    }

    public async Task<bool> SubscribeAsync(
        LiveConnection connection, string stageId, int maxSubscriptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(ConnectionPartition(connection.ConnectionId), ConnectionSortKey),
                UpdateExpression = "ADD stages :stage",
                ConditionExpression =
                    "attribute_exists(PK) AND (attribute_not_exists(stages) OR size(stages) < :max OR contains(stages, :id))",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":stage"] = new() { SS = [stageId] },
                    [":id"] = S(stageId),
                    [":max"] = N(maxSubscriptions),
                },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }

        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = options.TableName,
            Item = new Dictionary<string, AttributeValue>
            {
                [TableLayout.PartitionKey] = S(SubscribersPartition(stageId)),
                [TableLayout.SortKey] = S(ConnectionEntry(connection.ConnectionId)),
                ["connectionId"] = S(connection.ConnectionId),
                ["userId"] = S(connection.UserId),
                [TableLayout.ExpiresAt] = Expiry(connection),
            },
        }, cancellationToken);
        return true;
    }

    public async Task UnsubscribeAsync(string connectionId, string stageId, CancellationToken cancellationToken)
    {
        await dynamo.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = options.TableName,
            Key = Key(SubscribersPartition(stageId), ConnectionEntry(connectionId)),
        }, cancellationToken);
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(ConnectionPartition(connectionId), ConnectionSortKey),
                UpdateExpression = "DELETE stages :stage",
                ConditionExpression = "attribute_exists(PK)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":stage"] = new() { SS = [stageId] } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The connection is gone already: nothing left to update.
        }
    }

    public async Task<IReadOnlyList<LiveSubscriber>> SubscribersAsync(string stageId, CancellationToken cancellationToken)
    {
        var items = await QueryConnectionsAsync(SubscribersPartition(stageId), cancellationToken);
        return [.. items.Select(i => new LiveSubscriber(i["connectionId"].S, i["userId"].S))];
    }

    public async Task<IReadOnlyList<string>> ConnectionsOfAsync(string userId, CancellationToken cancellationToken)
    {
        var items = await QueryConnectionsAsync(UserPartition(userId), cancellationToken);
        return [.. items.Select(i => i["connectionId"].S)];
    }

    public async Task<long> CurrentVersionAsync(string stageId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(SubscribersPartition(stageId), VersionSortKey),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item && item.TryGetValue("liveVersion", out var version)
            ? long.Parse(version.N, CultureInfo.InvariantCulture)
            : 0;
    }

    public async Task<long> AdvanceVersionAsync(string stageId, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return await CurrentVersionAsync(stageId, cancellationToken);
        }

        var response = await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = options.TableName,
            Key = Key(SubscribersPartition(stageId), VersionSortKey),
            UpdateExpression = "ADD liveVersion :n",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":n"] = N(count) },
            ReturnValues = ReturnValue.UPDATED_NEW,
        }, cancellationToken);
        return long.Parse(response.Attributes["liveVersion"].N, CultureInfo.InvariantCulture);
    }

    public async Task<string?> ParticipantUserAsync(
        string stageId, string sessionId, string participantId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(TableLayout.StagePartition(stageId), TableLayout.ParticipantSortKey(sessionId, participantId)),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item && item.TryGetValue(ProjectionItems.UserId, out var user) ? user.S : null;
    }

    private async Task<Dictionary<string, AttributeValue>?> GetConnectionItemAsync(string connectionId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(ConnectionPartition(connectionId), ConnectionSortKey),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private async Task<List<Dictionary<string, AttributeValue>>> QueryConnectionsAsync(
        string partition, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                KeyConditionExpression = "PK = :pk AND begins_with(SK, :prefix)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":pk"] = S(partition),
                    [":prefix"] = S("CONNECTION#"),
                },
                ConsistentRead = true,
                ExclusiveStartKey = start,
            }, cancellationToken);
            items.AddRange(response.Items);
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return items;
    }

    private static LiveConnection ToConnection(Dictionary<string, AttributeValue> item) => new(
        item["connectionId"].S, item["userId"].S, ProjectionItems.ParseTime(item["connectedAt"].S));

    private static IEnumerable<string> Stages(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue("stages", out var stages) && stages.SS is { } ids ? ids : [];

    private static AttributeValue Expiry(LiveConnection connection) =>
        N(connection.ConnectedAt.Add(ConnectionLifetime).ToUnixTimeSeconds());

    private static Dictionary<string, AttributeValue> Key(string pk, string sk) => new()
    {
        [TableLayout.PartitionKey] = S(pk),
        [TableLayout.SortKey] = S(sk),
    };

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
