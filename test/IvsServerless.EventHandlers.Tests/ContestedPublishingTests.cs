using System.Text;
using System.Text.Json.Nodes;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Projection;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.EventHandlers.Tests;

/// <summary>
/// EventBridge times are whole seconds, so "unpublished, then published again" within one second looks like a tie the
/// stamp rule settles as unpublished. The batched path sees the tie in what the participant item held before its write
/// (DynamoDB Local, the production store) and asks IVS (<c>ListParticipantEvents</c>) for the true order at once.
/// </summary>
public sealed class ContestedPublishingTests(EventsTable table) : IClassFixture<EventsTable>
{
    private static readonly DateTimeOffset Second = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Publishing_again_within_the_second_of_an_unpublish_is_settled_by_IVS_at_once()
    {
        var ivs = new ScriptedEventHistory();
        var service = await ServiceAsync("tieInOrder01", ivs);

        await HandleAsync(service, Publish("tieInOrder01", "p1", "Participant Published", "a1"));
        ivs.Answer = [Api(IvsParticipantEventName.PublishStopped, 500), Api(IvsParticipantEventName.PublishStarted, 200)];
        await HandleAsync(service, Publish("tieInOrder01", "p1", "Participant Unpublished", "b1"));
        Assert.False(await PublishingAsync("tieInOrder01", "p1"));
        ivs.Answer = [.. ivs.Answer.Prepend(Api(IvsParticipantEventName.PublishStarted, 800))];
        await HandleAsync(service, Publish("tieInOrder01", "p1", "Participant Published", "c1"));

        Assert.True(await PublishingAsync("tieInOrder01", "p1"));
        Assert.Equal(2, ivs.Calls);
    }

    [Fact]
    public async Task Without_the_IVS_lookup_the_same_events_leave_the_participant_unpublished()
    {
        // The contrast that shows what the lookup is for: the stamp rule alone ranks Unpublished last within a second.
        var service = await ServiceAsync("tieNoLookup1", ivs: null);

        await HandleAsync(service, Publish("tieNoLookup1", "p1", "Participant Published", "a2"));
        await HandleAsync(service, Publish("tieNoLookup1", "p1", "Participant Unpublished", "b2"));
        await HandleAsync(service, Publish("tieNoLookup1", "p1", "Participant Published", "c2"));

        Assert.False(await PublishingAsync("tieNoLookup1", "p1"));
    }

    [Fact]
    public async Task A_late_unpublish_that_wins_by_rank_over_a_stored_publish_of_its_second_is_settled_too()
    {
        var ivs = new ScriptedEventHistory
        {
            Answer = [Api(IvsParticipantEventName.PublishStarted, 700), Api(IvsParticipantEventName.PublishStopped, 300)],
        };
        var service = await ServiceAsync("tieReversed1", ivs);

        await HandleAsync(service, Publish("tieReversed1", "p1", "Participant Published", "c3"));
        await HandleAsync(service, Publish("tieReversed1", "p1", "Participant Unpublished", "b3"));

        Assert.True(await PublishingAsync("tieReversed1", "p1"));
        Assert.Equal(1, ivs.Calls);
    }

    [Fact]
    public async Task Opposite_events_of_one_second_in_one_batch_are_settled()
    {
        var ivs = new ScriptedEventHistory
        {
            Answer = [Api(IvsParticipantEventName.PublishStarted, 900), Api(IvsParticipantEventName.PublishStopped, 100)],
        };
        var service = await ServiceAsync("tieOneBatch1", ivs);

        await HandleAsync(service,
            Publish("tieOneBatch1", "p1", "Participant Unpublished", "b4"), Publish("tieOneBatch1", "p1", "Participant Published", "c4"));

        Assert.True(await PublishingAsync("tieOneBatch1", "p1"));
        Assert.Equal(1, ivs.Calls);
    }

    [Fact]
    public async Task Publish_events_of_different_seconds_never_ask_IVS()
    {
        var ivs = new ScriptedEventHistory();
        var service = await ServiceAsync("tieNever0001", ivs);

        await HandleAsync(service, Publish("tieNever0001", "p1", "Participant Published", "a5", second: 0));
        await HandleAsync(service, Publish("tieNever0001", "p1", "Participant Unpublished", "b5", second: 1));
        await HandleAsync(service, Publish("tieNever0001", "p1", "Participant Published", "c5", second: 2),
            Publish("tieNever0001", "p2", "Participant Published", "d5", second: 2));

        Assert.True(await PublishingAsync("tieNever0001", "p1"));
        Assert.Equal(0, ivs.Calls);
    }

    [Fact]
    public async Task When_IVS_cannot_answer_the_contested_events_come_back_and_the_others_of_the_batch_stand()
    {
        var ivs = new ScriptedEventHistory { Failure = new IvsThrottledException("Rate exceeded") };
        var service = await ServiceAsync("tieFailure01", ivs);
        await HandleAsync(service, Publish("tieFailure01", "p1", "Participant Unpublished", "b6"));

        var outcomes = await HandleAsync(service,
            Publish("tieFailure01", "p1", "Participant Published", "c6"), Publish("tieFailure01", "p2", "Participant Published", "d6"));

        Assert.Equal(IvsEventDisposition.Failed, outcomes[0].Disposition);
        Assert.Contains("contested", outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Equal(IvsEventDisposition.Applied, outcomes[1].Disposition);

        // The retry finds the question still open (the redelivered publish still loses by rank) and IVS now answers.
        ivs.Failure = null;
        ivs.Answer = [Api(IvsParticipantEventName.PublishStarted, 600), Api(IvsParticipantEventName.PublishStopped, 400)];
        var retried = await HandleAsync(service, Publish("tieFailure01", "p1", "Participant Published", "c6"));
        Assert.Equal(IvsEventDisposition.Applied, retried[0].Disposition);
        Assert.True(await PublishingAsync("tieFailure01", "p1"));
    }

    private async Task<IvsEventService> ServiceAsync(string stageId, ScriptedEventHistory? ivs)
    {
        await table.AddStageAsync(stageId);
        return new IvsEventService(table.Projection, table.Stages, table.Compositions,
            new DynamoDbRejectedEventStore(table.Client, table.Options), participantEvents: ivs);
    }

    private static Task<IReadOnlyList<IvsEventOutcome>> HandleAsync(IvsEventService service, params byte[][] events) =>
        service.HandleBatchAsync([.. events.Select(e => (ReadOnlyMemory<byte>)e)], default);

    private async Task<bool?> PublishingAsync(string stageId, string participantId)
    {
        var state = await table.Projection.ReadStageAsync(stageId, default);
        return state.Participants.Values.Single(p => p.Key.ParticipantId == participantId).Publishing?.Value;
    }

    private static IvsParticipantEvent Api(IvsParticipantEventName name, int milliseconds) =>
        new(name, Second.AddMilliseconds(milliseconds));

    private static byte[] Publish(string stageId, string participantId, string name, string id, int second = 0)
    {
        var time = Second.AddSeconds(second).UtcDateTime.ToString(
            "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["version"] = "0",
            ["id"] = $"00000000-0000-4000-8000-{id,12}".Replace(' ', '0'),
            ["detail-type"] = "IVS Stage Update",
            ["source"] = "aws.ivs",
            ["account"] = "123456789012",
            ["time"] = time,
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray($"arn:aws:ivs:us-east-1:123456789012:stage/{stageId}"),
            ["detail"] = new JsonObject
            {
                ["session_id"] = "st-TIE0000000001",
                ["event_name"] = name,
                ["event_time"] = time,
                ["user_id"] = "erin",
                ["participant_id"] = participantId,
            },
        }.ToJsonString());
    }

    /// <summary>ListParticipantEvents as IVS would answer it at the moment (newest first), or failing.</summary>
    private sealed class ScriptedEventHistory : IParticipantEventHistory
    {
        public IReadOnlyList<IvsParticipantEvent> Answer { get; set; } = [];

        public Exception? Failure { get; set; }

        public int Calls { get; private set; }

        public Task<Page<IvsParticipantEvent>> ListParticipantEventsAsync(
            string stageArn, string sessionId, string participantId, string? nextToken, CancellationToken cancellationToken)
        {
            Calls++;
            return Failure is { } failure ? Task.FromException<Page<IvsParticipantEvent>>(failure)
                : Task.FromResult(new Page<IvsParticipantEvent>(Answer, null));
        }
    }
}
