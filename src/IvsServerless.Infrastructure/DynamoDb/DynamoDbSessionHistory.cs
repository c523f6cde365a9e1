using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Sessions;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>Reads the projection <see cref="DynamoDbProjectionStore"/> writes: sessions via GSI1, one session via its SK prefix.</summary>
public sealed class DynamoDbSessionHistory(IAmazonDynamoDB dynamo, DynamoDbOptions options) : ISessionHistory
{
    private static readonly string[] ListingKey =
        [TableLayout.PartitionKey, TableLayout.SortKey, TableLayout.OwnerIndexPartitionKey, TableLayout.OwnerIndexSortKey];

    public async Task<Page<SessionSummary>> ListSessionsAsync(string stageId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var partition = TableLayout.StageSessionsPartition(stageId);
        // The table key must be one of this stage's session items too: another stage's cursor names another partition.
        var stagePartition = TableLayout.StagePartition(stageId);
        var request = new QueryRequest
        {
            TableName = options.TableName,
            IndexName = TableLayout.OwnerIndex,
            KeyConditionExpression = $"{TableLayout.OwnerIndexPartitionKey} = :partition",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":partition"] = ProjectionItems.S(partition) },
            ScanIndexForward = false,
            Limit = Math.Clamp(page.Limit, 1, PageRequest.MaxLimit),
            ExclusiveStartKey = PageCursor.Decode(page.Cursor, ListingKey, TableLayout.OwnerIndexPartitionKey, partition,
                key => key[TableLayout.PartitionKey] == stagePartition
                    && key[TableLayout.SortKey].StartsWith(TableLayout.SessionSortKey(""), StringComparison.Ordinal)
                    && key[TableLayout.SortKey].Length > TableLayout.SessionSortKey("").Length),
        };
        var response = await PageCursor.QueryAsync(page.Cursor, () => dynamo.QueryAsync(request, cancellationToken));
        return new Page<SessionSummary>(
            [.. response.Items.Select(i => Summary(ProjectionItems.ReadSession(i)))], PageCursor.Encode(response.LastEvaluatedKey));
    }

    public async Task<SessionDetail?> FindSessionAsync(string stageId, string sessionId, CancellationToken cancellationToken)
    {
        SessionProjection? session = null;
        var participants = new List<Dictionary<string, AttributeValue>>();
        var timelines = new Dictionary<string, List<TimelineEntry>>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            // The session item (SK = SESSION#id) and everything under SESSION#id#: participants and the event log,
            // the log in stamp order.
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                KeyConditionExpression = "PK = :stage AND SK BETWEEN :from AND :to",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":stage"] = ProjectionItems.S(TableLayout.StagePartition(stageId)),
                    [":from"] = ProjectionItems.S(TableLayout.SessionSortKey(sessionId)),
                    [":to"] = ProjectionItems.S(TableLayout.SessionSortKeyPrefix(sessionId) + "\uffff"),
                },
                ExclusiveStartKey = start,
            }, cancellationToken);
            foreach (var item in response.Items)
            {
                switch (item.TryGetValue(ProjectionItems.ItemType, out var type) ? type.S : null)
                {
                    case ProjectionItems.SessionType when item["sessionId"].S == sessionId:
                        session = ProjectionItems.ReadSession(item);
                        break;
                    case ProjectionItems.ParticipantType when item["sessionId"].S == sessionId
                        && item.ContainsKey(ProjectionItems.FirstSeen):
                        participants.Add(item);
                        break;
                    case ProjectionItems.EventType when item["sessionId"].S == sessionId:
                        var participantId = item["participantId"].S;
                        if (!timelines.TryGetValue(participantId, out var timeline))
                        {
                            timelines[participantId] = timeline = [];
                        }

                        timeline.Add(
                            new TimelineEntry(ProjectionItems.ParseTime(item["eventTime"].S), item["eventName"].S, item["eventId"].S,
                            item.TryGetValue("errorCode", out var error) ? error.S : null));
                        break;
                }
            }

            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        if (session is null)
        {
            return null;
        }

        return new SessionDetail(Summary(session), [.. participants
            .Select(item =>
            {
                var projection = ProjectionItems.ReadParticipant(item);
                var presence = ProjectionItems.ReadPresence(item);
                return new SessionParticipant(projection, presence?.Connected, presence?.ObservedAt,
                    timelines.TryGetValue(projection.Key.ParticipantId, out var timeline) ? timeline : []);
            })
            .OrderBy(p => p.Projection.FirstSeen)
            .ThenBy(p => p.ParticipantId, StringComparer.Ordinal)]);
    }

    private static SessionSummary Summary(SessionProjection s) => new(s.Key.StageId, s.Key.SessionId, s.FirstActivity, s.LastActivity);
}
