using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Stages;
using IvsServerless.EventHandlers;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Testing;

namespace IvsServerless.EventHandlers.Tests;

/// <summary>One table per test class with the production definition, and the ivs-events handler wired to it.</summary>
public sealed class EventsTable : DynamoDbTableFixture
{
    protected override string TablePrefix => "events";

    protected override CreateTableRequest DefineTable(string tableName) => TableLayout.Definition(tableName);

    public DynamoDbOptions Options => new() { TableName = TableName };

    public DynamoDbStageStore Stages => new(Client, Options);

    public DynamoDbCompositionStore Compositions => new(Client, Options);

    public DynamoDbProjectionStore Projection => new(Client, Options);

    public IvsEventService Service(TimeProvider? time = null) =>
        new(Projection, Stages, Compositions, new DynamoDbRejectedEventStore(Client, Options), time);

    public async Task AddStageAsync(string stageId, string owner = "owner-1", StageVisibility visibility = StageVisibility.Public)
    {
        try
        {
            await Stages.AddAsync(
                new Stage(stageId, $"arn:aws:ivs:us-east-1:123456789012:stage/{stageId}", "s-" + stageId, owner, visibility,
                new HashSet<string>(), new HashSet<string>(), DateTimeOffset.UtcNow), default);
        }
        catch (StageConflictException)
        {
            // Added by an earlier test of the class.
        }
    }

    public async Task AddCompositionAsync(string stageId, string compositionId, string startedBy = "owner-1")
    {
        try
        {
            await Compositions.AddAsync(
                new Composition($"arn:aws:ivs:us-east-1:123456789012:composition/{compositionId}", stageId, startedBy,
                "key-" + compositionId, "STARTING", DateTimeOffset.UtcNow), default);
        }
        catch (CompositionConflictException)
        {
        }
    }

    /// <summary>Every item of the table as a canonical line, in key order.</summary>
    public async Task<List<string>> ScanAsync()
    {
        var lines = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await Client.ScanAsync(
                new ScanRequest { TableName = TableName, ExclusiveStartKey = start, ConsistentRead = true });
            lines.AddRange(response.Items.Select(i => string.Join(" ", i.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => $"{a.Key}={a.Value.S ?? a.Value.N ?? a.Value.BOOL?.ToString() ?? "?"}"))));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public async Task<List<Dictionary<string, AttributeValue>>> RejectedAsync(DateTimeOffset day)
    {
        var response = await Client.QueryAsync(new QueryRequest
        {
            TableName = TableName,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":pk"] = new() { S = TableLayout.RejectedPartition(day) }
            },
            ConsistentRead = true,
        });
        return response.Items;
    }

    public static LambdaContext Context(Stream log) => new()
    {
        AwsRequestId = Guid.NewGuid().ToString(),
        Deadline = DateTimeOffset.UtcNow.AddMinutes(1),
        Logger = new LambdaJsonLogger(log),
    };

    public static byte[] Sample(string path) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "events", path));
}
