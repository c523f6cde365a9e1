using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Quotas;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// A ledger is one item whose <c>claims</c> map holds the claims: a claim is a conditional write of one map key (the
/// limit checked on the map's size in the same write), so concurrent claims cannot pass the limit together and a
/// retried claim finds its own key.
/// </summary>
public sealed class DynamoDbUsageLedger(IAmazonDynamoDB dynamo, DynamoDbOptions options) : IUsageLedger
{
    private const string Claims = "claims";
    private const int CreateAttempts = 3;

    public async Task<bool> TryClaimAsync(string ledger, string claimId, string value, int limit, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < CreateAttempts; attempt++)
        {
            try
            {
                await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = options.TableName,
                    Key = Key(ledger),
                    UpdateExpression = $"SET {Claims}.#claim = if_not_exists({Claims}.#claim, :value)",
                    ConditionExpression = $"attribute_exists({Claims}) AND (size({Claims}) < :limit OR attribute_exists({Claims}.#claim))",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#claim"] = claimId },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                    {
                        [":value"] = new() { S = value },
                        [":limit"] = new() { N = limit.ToString(CultureInfo.InvariantCulture) },
                    },
                }, cancellationToken);
                return true;
            }
            catch (ConditionalCheckFailedException)
            {
                // Full, or the ledger does not exist yet: only a read tells which.
            }

            var claims = await ReadItemAsync(ledger, cancellationToken);
            if (claims is not null)
            {
                return claims.ContainsKey(claimId);
            }

            if (await TryCreateAsync(ledger, claimId, value, expiresAt, cancellationToken))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"The ledger {ledger} could neither be created nor updated.");
    }

    public async Task SetAsync(string ledger, string claimId, string value, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(ledger),
                UpdateExpression = $"SET {Claims}.#claim = :value",
                ConditionExpression = $"attribute_exists({Claims}.#claim)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#claim"] = claimId },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":value"] = new() { S = value } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Released in between (found stale): nothing to confirm.
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string ledger, CancellationToken cancellationToken) =>
        await ReadItemAsync(ledger, cancellationToken) ?? new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task ReleaseAsync(string ledger, IReadOnlyCollection<string> claimIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimIds);
        if (claimIds.Count == 0)
        {
            return;
        }

        var names = claimIds.Select((id, i) => (Name: "#c" + i.ToString(CultureInfo.InvariantCulture), Id: id)).ToList();
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(ledger),
                UpdateExpression = "REMOVE " + string.Join(", ", names.Select(n => $"{Claims}.{n.Name}")),
                ConditionExpression = $"attribute_exists({Claims})",
                ExpressionAttributeNames = names.ToDictionary(n => n.Name, n => n.Id, StringComparer.Ordinal),
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // No ledger, nothing held.
        }
    }

    private async Task<Dictionary<string, string>?> ReadItemAsync(string ledger, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(ledger),
            ConsistentRead = true,
        }, cancellationToken);
        if (response.Item is not { Count: > 0 } item || !item.TryGetValue(Claims, out var claims))
        {
            return null;
        }

        return (claims.M ?? []).ToDictionary(c => c.Key, c => c.Value.S ?? "", StringComparer.Ordinal);
    }

    private async Task<bool> TryCreateAsync(string ledger, string claimId, string value, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken)
    {
        var item = Key(ledger);
        item[Claims] = new AttributeValue { M = new Dictionary<string, AttributeValue> { [claimId] = new() { S = value } } };
        if (expiresAt is { } at)
        {
            item[TableLayout.ExpiresAt] = new AttributeValue { N = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };
        }

        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = item,
                ConditionExpression = $"attribute_not_exists({TableLayout.PartitionKey})",
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            // Created by a concurrent claim (or by this one, its response lost): claim again on the item now there.
            return false;
        }
    }

    private static Dictionary<string, AttributeValue> Key(string ledger) => new()
    {
        [TableLayout.PartitionKey] = new() { S = TableLayout.QuotaPartition(ledger) },
        [TableLayout.SortKey] = new() { S = TableLayout.QuotaSortKey },
    };
}
