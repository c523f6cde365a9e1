using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Projection;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>Rejected events as items that expire through TTL; the first copy of an event is kept.</summary>
public sealed class DynamoDbRejectedEventStore(IAmazonDynamoDB dynamo, DynamoDbOptions options) : IRejectedEventStore
{
    public async Task StoreAsync(RejectedEvent rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var item = new Dictionary<string, AttributeValue>
        {
            [TableLayout.PartitionKey] = ProjectionItems.S(TableLayout.RejectedPartition(rejected.ReceivedAt)),
            [TableLayout.SortKey] = ProjectionItems.S(TableLayout.RejectedSortKey(rejected.Key)),
            ["reason"] = ProjectionItems.S(rejected.Reason),
            ["rawText"] = ProjectionItems.S(rejected.RawText),
            ["rawBytes"] = new() { N = rejected.RawBytes.ToString(CultureInfo.InvariantCulture) },
            ["receivedAt"] = ProjectionItems.S(ProjectionItems.Time(rejected.ReceivedAt)),
            [TableLayout.ExpiresAt] = new()
            {
                N = rejected.ReceivedAt.Add(RejectedEvent.Retention).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
            },
        };
        if (rejected.EventId is { } id)
        {
            item["eventId"] = ProjectionItems.S(id);
        }

        if (rejected.DetailType is { } detailType)
        {
            item["detailType"] = ProjectionItems.S(detailType);
        }

        // Delivered (and rejected) before: the first copy is kept.
        await ProjectionItems.PutOnceAsync(dynamo, options.TableName, item, cancellationToken);
    }
}
