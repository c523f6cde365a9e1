using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Live;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Live;

/// <summary>A kick as an item under its stage (<c>KICK#&lt;participantId&gt;#&lt;time&gt;</c>, expires after a day): its insert is the
/// stream record the notifier turns into <c>kicked</c>.</summary>
public sealed class DynamoDbKickLog(IAmazonDynamoDB dynamo, DynamoDbOptions options) : IKickLog
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public async Task RecordAsync(
        string stageId, string? sessionId, string participantId, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [TableLayout.PartitionKey] = new() { S = TableLayout.StagePartition(stageId) },
            [TableLayout.SortKey] = new() { S = $"{TableChangeMapper.KickSortKeyPrefix}{participantId}#{StageItem.SortableTime(at)}" },
            ["participantId"] = new() { S = participantId },
            ["kickedAt"] = new() { S = StageItem.SortableTime(at) },
            [TableLayout.ExpiresAt] = new() { N = at.Add(Retention).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
        };
        if (sessionId is not null)
        {
            item["sessionId"] = new() { S = sessionId };
        }

        if (reason is not null)
        {
            item["reason"] = new() { S = reason };
        }

        await dynamo.PutItemAsync(new PutItemRequest { TableName = options.TableName, Item = item }, cancellationToken);
    }
}
