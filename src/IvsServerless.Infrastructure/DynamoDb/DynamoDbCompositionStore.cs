using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Compositions;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// Compositions under their stage's partition, each start's idempotency key claimed by its own item in the
/// same transaction: two concurrent starts with one key can never both be stored.
/// </summary>
public sealed class DynamoDbCompositionStore(IAmazonDynamoDB dynamo, DynamoDbOptions options, TimeProvider? time = null) : ICompositionStore
{
    /// <summary>A retry later than this starts a new composition (the claim item expires through TTL).</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    private const string ConditionalCheckFailed = "ConditionalCheckFailed";
    private const string TransactionConflict = "TransactionConflict";
    private const int MaxConflictAttempts = 5;
    private static readonly string[] TerminalStates = ["STOPPED", "FAILED"];
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<Composition?> FindByIdempotencyKeyAsync(string stageId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var claim = await GetAsync(stageId, TableLayout.IdempotencySortKey(idempotencyKey), cancellationToken);
        return claim is null ? null : await FindAsync(stageId, claim["compositionId"].S, cancellationToken);
    }

    public async Task AddAsync(Composition composition, CancellationToken cancellationToken)
    {
        var compositionId = IdOf(composition.CompositionArn);
        var claim = new Dictionary<string, AttributeValue>
        {
            [TableLayout.PartitionKey] = S(TableLayout.StagePartition(composition.StageId)),
            [TableLayout.SortKey] = S(TableLayout.IdempotencySortKey(composition.IdempotencyKey)),
            ["compositionId"] = S(compositionId),
            [TableLayout.ExpiresAt] = new()
            {
                N = _time.GetUtcNow().Add(IdempotencyWindow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
            },
        };

        var request = new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem {
                    Put = new Put {
                    TableName = options.TableName, Item = ToItem(composition), ConditionExpression = "attribute_not_exists(PK)" } },
                new TransactWriteItem {
                    Put = new Put { TableName = options.TableName, Item = claim, ConditionExpression = "attribute_not_exists(PK)" } },
            ],
        };

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await dynamo.TransactWriteItemsAsync(request, cancellationToken);
                return;
            }
            catch (TransactionCanceledException cancelled) when (Has(cancelled, ConditionalCheckFailed))
            {
                throw new CompositionConflictException(
                    $"Idempotency key '{composition.IdempotencyKey}' or composition {compositionId} is already stored for stage "
                        + $"{composition.StageId}.");
            }
            catch (TransactionCanceledException cancelled) when (Has(cancelled, TransactionConflict) && attempt < MaxConflictAttempts)
            {
                // A concurrent start touched the same claim: once that one settles, the claim's condition
                // decides cleanly (conflict or success), so a retry turns a race into a definite answer.
            }
        }
    }

    public async Task<Composition?> FindAsync(string stageId, string compositionId, CancellationToken cancellationToken)
    {
        var item = await GetAsync(stageId, TableLayout.CompositionSortKey(compositionId), cancellationToken);
        return item is null ? null : FromItem(item);
    }

    public async Task<IReadOnlyList<Composition>> ListForStageAsync(string stageId, CancellationToken cancellationToken)
    {
        var compositions = new List<Composition>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                KeyConditionExpression = "PK = :stage AND begins_with(SK, :prefix)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":stage"] = S(TableLayout.StagePartition(stageId)),
                    [":prefix"] = S(TableLayout.CompositionSortKeyPrefix),
                },
                ExclusiveStartKey = start,
            }, cancellationToken);
            compositions.AddRange(response.Items.Select(FromItem));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        // Sort keys order by id, not time; IVS allows at most 5 live per stage, so sorting here stays cheap.
        return compositions.OrderByDescending(c => c.StartedAt).ToList();
    }

    /// <summary>
    /// STOPPED and FAILED are final: a late or replayed event can never bring a composition back to life.
    /// Unknown compositions (started outside this backend) are left alone.
    /// </summary>
    public async Task SetStateAsync(
        string stageId, string compositionId, string state, DateTimeOffset? endedAt, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":state"] = S(state),
            [":stopped"] = S(TerminalStates[0]),
            [":failed"] = S(TerminalStates[1]),
        };
        var update = "SET #state = :state";
        if (endedAt is not null)
        {
            update += ", endedAt = :endedAt";
            values[":endedAt"] = S(StageItem.SortableTime(endedAt.Value));
        }

        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(stageId, TableLayout.CompositionSortKey(compositionId)),
                UpdateExpression = update,
                ConditionExpression = "attribute_exists(PK) AND NOT #state IN (:stopped, :failed)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#state"] = "state" },
                ExpressionAttributeValues = values,
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Already final, or not ours: nothing to change.
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string stageId, string sortKey, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(stageId, sortKey),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    // Anything else (throttling, validation, a missing table) is not a conflict and propagates.
    private static bool Has(TransactionCanceledException cancelled, string code) =>
        cancelled.CancellationReasons?.Any(reason => reason.Code == code) == true;

    private static Dictionary<string, AttributeValue> ToItem(Composition composition)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [TableLayout.PartitionKey] = S(TableLayout.StagePartition(composition.StageId)),
            [TableLayout.SortKey] = S(TableLayout.CompositionSortKey(IdOf(composition.CompositionArn))),
            ["compositionArn"] = S(composition.CompositionArn),
            ["stageId"] = S(composition.StageId),
            ["startedBy"] = S(composition.StartedBy),
            ["idempotencyKey"] = S(composition.IdempotencyKey),
            ["state"] = S(composition.State),
            ["startedAt"] = S(StageItem.SortableTime(composition.StartedAt)),
        };
        if (composition.EndedAt is not null)
        {
            item["endedAt"] = S(StageItem.SortableTime(composition.EndedAt.Value));
        }

        if (composition.Recording is { } recording)
        {
            item["recordingDestinationId"] = S(recording.DestinationId);
            item["recordingStorageConfigurationArn"] = S(recording.StorageConfigurationArn);
            item["recordingS3KeyPrefix"] = S(recording.S3KeyPrefix);
            if (recording.SessionId is { } sessionId)
            {
                item["sessionId"] = S(sessionId);
            }
        }

        return item;
    }

    private static Composition FromItem(Dictionary<string, AttributeValue> item)
    {
        // The event projection's attributes on the same item (see ProjectionItems): failure reason and destinations.
        var destinations = ProjectionItems.ReadDestinations(item)
            .Select(d => new CompositionDestination(
                d.Key.DestinationId, ProjectionItems.Name(d.Status!.Value.State), d.Status.Value.FailureReason, d.StartedAt, d.EndedAt))
            .OrderBy(d => d.DestinationId, StringComparer.Ordinal)
            .ToList();
        return new Composition(
            item["compositionArn"].S,
            item["stageId"].S,
            item["startedBy"].S,
            item["idempotencyKey"].S,
            item["state"].S,
            Time(item["startedAt"].S),
            item.TryGetValue("endedAt", out var ended) ? Time(ended.S) : null,
            item.TryGetValue("failureReason", out var reason) ? reason.S : null,
            destinations.Count > 0 ? destinations : null,
            item.TryGetValue("recordingS3KeyPrefix", out var prefix)
                ? new CompositionRecordingTarget(item["recordingDestinationId"].S, item["recordingStorageConfigurationArn"].S, prefix.S,
                    item.TryGetValue("sessionId", out var session) ? session.S : null)
                : null);
    }

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string IdOf(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    private static Dictionary<string, AttributeValue> Key(string stageId, string sortKey) => new()
    {
        [TableLayout.PartitionKey] = S(TableLayout.StagePartition(stageId)),
        [TableLayout.SortKey] = S(sortKey),
    };

    private static AttributeValue S(string value) => new() { S = value };
}
