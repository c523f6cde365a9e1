using System.Text;
using System.Text.Json;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Stages;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Lambda.Runtime.Sqs;
using IvsServerless.Testing.Faults;
using IvsServerless.Testing.Projection;

namespace IvsServerless.EventHandlers.Tests;

/// <summary>
/// The batched event path (SQS batches) on DynamoDB Local: the table ends as the in-order projection, and when chosen
/// writes fail, exactly the events folded into them come back, and their retry completes the projection.
/// </summary>
public sealed class BatchedDeliveryTests(EventsTable table) : IClassFixture<EventsTable>
{
    [Fact]
    public async Task Shuffled_batches_with_duplicates_give_the_in_order_projection_and_every_log_entry()
    {
        var workload = await SeedAsync(seed: 11);
        var service = table.Service();
        var delivery = SyntheticIvsEvents.Delivery(workload.Events, 11, 0.2);

        foreach (var batch in delivery.Chunk(40))
        {
            var outcomes = await service.HandleBatchAsync([.. batch.Select(e => (ReadOnlyMemory<byte>)e.Json)], default);
            Assert.All(outcomes, AssertApplied);
        }

        await AssertProjectedAsync(workload);
    }

    [Fact]
    public async Task Only_the_events_of_failed_writes_come_back_and_retrying_them_completes_the_projection()
    {
        var workload = await SeedAsync(seed: 12);
        var stageEvents = workload.Events.Where(e => e.Parsed.Detail is StageUpdateDetail).ToList();
        var brokenParticipant = Projector.ParticipantKeyOf(stageEvents[0].Parsed);
        var brokenLog = Projector.ParticipantKeyOf(stageEvents[^1].Parsed).SessionId;
        Assert.NotEqual(brokenParticipant.SessionId, brokenLog);
        var client = FaultyDynamoDb.Wrap(table.Client);
        FaultyDynamoDb.Of(client).Fail(sk =>
            sk == TableLayout.ParticipantSortKey(brokenParticipant.SessionId, brokenParticipant.ParticipantId)
            || sk.StartsWith(TableLayout.SessionSortKeyPrefix(brokenLog) + "EVENT#", StringComparison.Ordinal));
        var service = new IvsEventService(new DynamoDbProjectionStore(client, table.Options), new DynamoDbStageStore(client, table.Options),
            new DynamoDbCompositionStore(client, table.Options), new DynamoDbRejectedEventStore(client, table.Options));
        var delivery = SyntheticIvsEvents.Delivery(workload.Events, 12, 0.1);

        var retry = new List<SyntheticEvent>();
        foreach (var batch in delivery.Chunk(50))
        {
            var outcomes = await service.HandleBatchAsync([.. batch.Select(e => (ReadOnlyMemory<byte>)e.Json)], default);
            retry.AddRange(batch.Where((_, i) => outcomes[i].Disposition == IvsEventDisposition.Failed));
        }

        bool Broken(ParsedIvsEvent e) => e.Detail is not CompositionStateDetail
            && (Projector.ParticipantKeyOf(e) == brokenParticipant || Projector.ParticipantKeyOf(e).SessionId == brokenLog);
        Assert.Equal(delivery.Where(e => Broken(e.Parsed)).Select(e => e.Parsed.Id).Order(), retry.Select(e => e.Parsed.Id).Order());
        Assert.NotEmpty(FaultyDynamoDb.Of(client).Failed);

        FaultyDynamoDb.Of(client).Heal();
        var again = await service.HandleBatchAsync([.. retry.Select(e => (ReadOnlyMemory<byte>)e.Json)], default);
        Assert.All(again, AssertApplied);
        await AssertProjectedAsync(workload);
    }

    [Fact]
    public async Task The_handler_answers_an_sqs_batch_with_the_message_ids_of_the_failed_events_only()
    {
        var workload = await SeedAsync(seed: 13);
        var broken = Projector.ParticipantKeyOf(workload.Events.First(e => e.Parsed.Detail is StageUpdateDetail).Parsed);
        var client = FaultyDynamoDb.Wrap(table.Client);
        FaultyDynamoDb.Of(client).Fail(sk => sk == TableLayout.ParticipantSortKey(broken.SessionId, broken.ParticipantId));
        var handler = new IvsEventsHandler(new IvsEventService(new DynamoDbProjectionStore(client, table.Options),
            new DynamoDbStageStore(client, table.Options), new DynamoDbCompositionStore(client, table.Options),
            new DynamoDbRejectedEventStore(client, table.Options)));
        var batch = workload.Events.Take(100).ToList();
        var sqs = new SqsEvent(
            [.. batch.Select((e, i) => new SqsMessage("m-" + i, Encoding.UTF8.GetString(e.Json), SqsEvent.EventSource))]);
        using var log = new MemoryStream();

        var response = SqsBatchResponse.Read((await handler.HandleAsync(
            JsonSerializer.SerializeToUtf8Bytes(sqs, SqsJsonContext.Default.SqsEvent), EventsTable.Context(log), default)).Span);

        var expected = batch.Select((e, i) => (e, i))
            .Where(x => x.e.Parsed.Detail is not CompositionStateDetail && Projector.ParticipantKeyOf(x.e.Parsed) == broken)
            .Select(x => "m-" + x.i);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), response.BatchItemFailures.Select(f => f.ItemIdentifier).Order());
        Assert.Contains("\"failed\":", Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_for_unknown_stages_in_a_batch_are_rejected_not_retried()
    {
        var workload = SyntheticIvsEvents.Generate(14, 30, 2);
        var outcomes = await table.Service().HandleBatchAsync([.. workload.Events.Select(e => (ReadOnlyMemory<byte>)e.Json)], default);

        Assert.All(outcomes, o => Assert.Equal(IvsEventDisposition.Rejected, o.Disposition));
        Assert.Contains("unknown stage", outcomes[0].Reason, StringComparison.Ordinal);
    }

    private static void AssertApplied(IvsEventOutcome outcome) =>
        Assert.Contains(outcome.Disposition, new[] { IvsEventDisposition.Applied, IvsEventDisposition.AppliedUnknownName });

    private async Task<SyntheticWorkload> SeedAsync(int seed)
    {
        var workload = SyntheticIvsEvents.Generate(seed, 400, 3);
        foreach (var stageId in workload.StageIds)
        {
            await table.AddStageAsync(stageId);
        }

        foreach (var (stageId, arn) in workload.Compositions)
        {
            await table.AddCompositionAsync(stageId, arn[(arn.LastIndexOf('/') + 1)..]);
        }

        return workload;
    }

    private async Task AssertProjectedAsync(SyntheticWorkload workload)
    {
        var expected = Projector.ApplyAll(ProjectionState.Empty, workload.Events.Select(e => e.Parsed));
        var actual = ProjectionState.Empty;
        foreach (var stageId in workload.StageIds)
        {
            actual = ProjectionMerge.Merge(actual, await table.Projection.ReadStageAsync(stageId, default));
        }

        Assert.Equal(expected.Participants.Count, actual.Participants.Count);
        Assert.Equal(expected.Sessions.Count, actual.Sessions.Count);
        Assert.Equal(expected.Compositions.Count, actual.Compositions.Count);
        Assert.True(expected == actual, "the table differs from the in-order projection");
        var logged = 0;
        foreach (var stageId in workload.StageIds)
        {
            logged += (await table.Client.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
            {
                TableName = table.TableName,
                KeyConditionExpression = "PK = :pk",
                FilterExpression = "itemType = :event",
                ExpressionAttributeValues = new()
                {
                    [":pk"] = new() { S = TableLayout.StagePartition(stageId) },
                    [":event"] = new() { S = "event" },
                },
                ConsistentRead = true,
            })).Count ?? 0;
        }

        Assert.Equal(workload.Events.Count(e => e.Parsed.Detail is not CompositionStateDetail), logged);
    }
}
