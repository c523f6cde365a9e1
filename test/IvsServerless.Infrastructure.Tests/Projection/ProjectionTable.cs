using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Events;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests.Projection;

/// <summary>Helpers to build events and look at what a stage's partition holds.</summary>
internal static class ProjectionTable
{
    public const string Account = "123456789012";
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static string StageArn(string stageId) => $"arn:aws:ivs:us-east-1:{Account}:stage/{stageId}";

    public static ParsedIvsEvent StageUpdate(string stageId, string sessionId, string participantId, string name, int second,
        string id, string userId = "alice", string? errorCode = null)
    {
        var error = errorCode is null ? "" : $",\"error_code\":\"{errorCode}\"";
        return Parse($$"""
            {"version":"0","id":"{{id}}","detail-type":"IVS Stage Update","source":"aws.ivs","account":"{{Account}}",
             "time":"{{Time(second)}}","region":"us-east-1","resources":["{{StageArn(stageId)}}"],
             "detail":{"session_id":"{{sessionId}}","event_name":"{{name}}","event_time":"{{Time(second)}}","user_id":"{{userId}}","participant_id":"{{participantId}}"{{error}} } }
            """);
    }

    public static ParsedIvsEvent Recording(
        string stageId, string sessionId, string participantId, string name, int second, string id, string prefix = "")
    {
        return Parse($$"""
            {"version":"0","id":"{{id}}","detail-type":"IVS Participant Recording State Change","source":"aws.ivs","account":"{{Account}}",
             "time":"{{Time(second)}}","region":"us-east-1","resources":["{{StageArn(stageId)}}"],
             "detail":{"session_id":"{{sessionId}}","event_name":"{{name}}","participant_id":"{{participantId}}",
                       "recording_s3_bucket_name":"{{(prefix.Length > 0 ? "ivs-recordings" : "")}}","recording_s3_key_prefix":"{{prefix}}" } }
            """);
    }

    public static ParsedIvsEvent CompositionEvent(string stageId, string compositionId, string name, int second, string id,
        string? destinationId = null, string? reason = null)
    {
        var extra = (destinationId is null ? "" : $",\"destination_id\":\"{destinationId}\"") + (
            reason is null ? "" : $",\"reason\":\"{reason}\"");
        return Parse($$"""
            {"version":"0","id":"{{id}}","detail-type":"IVS Composition State Change","source":"aws.ivs","account":"{{Account}}",
             "time":"{{Time(second)}}","region":"us-east-1","resources":["arn:aws:ivs:us-east-1:{{Account}}:composition/{{compositionId}}"],
             "detail":{"event_name":"{{name}}","stage_arn":"{{StageArn(stageId)}}"{{extra}} } }
            """);
    }

    public static Composition StoredComposition(string stageId, string compositionArn) =>
        new(compositionArn, stageId, "owner-1", "key-" + IvsEventParser.ResourceId(compositionArn), "STARTING", T0.AddMinutes(-1));

    public static ParsedIvsEvent Parse(string json) =>
        IvsEventParser.TryParse(Encoding.UTF8.GetBytes(json.ReplaceLineEndings("")), out var parsed, out var reason)
            ? parsed
            : throw new InvalidOperationException(reason);

    /// <summary>Every item of the stage's partition, each as one canonical line (sorted attributes), in key order.</summary>
    public static async Task<List<string>> SnapshotAsync(IAmazonDynamoDB client, string table, string stageId)
    {
        var lines = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(new QueryRequest
            {
                TableName = table,
                KeyConditionExpression = "PK = :pk",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":pk"] = new() { S = TableLayout.StagePartition(stageId) }
                },
                ExclusiveStartKey = start,
                ConsistentRead = true,
            });
            lines.AddRange(response.Items.Select(Canonical));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return lines;
    }

    public static string Canonical(Dictionary<string, AttributeValue> item) =>
        string.Join(" ", item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={Value(a.Value)}"));

    private static string Value(AttributeValue v) =>
        v.S ?? v.N
            ?? (
            v.BOOL is { } b ? b.ToString(CultureInfo.InvariantCulture) : v.SS is { } ss ? string.Join(",", ss.Order(StringComparer.Ordinal))
            : "?");

    private static string Time(int second) =>
        T0.AddSeconds(second).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
