using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;
using IvsServerless.Infrastructure.DynamoDb;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.EventHandlers.Tests;

/// <summary>The ivs-events service on DynamoDB Local, fed the repository's sample events and hand-made bad ones.</summary>
public sealed class IvsEventServiceTests(EventsTable table) : IClassFixture<EventsTable>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);
    private readonly IvsEventService _service = table.Service(new FakeTimeProvider(Now));

    public static TheoryData<string> GoodSamples =>
        [.. new[] { "stage-update", "participant-recording-state-change", "composition-state-change", "edge" }
        .SelectMany(folder => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events", folder), "*.json"))
        .Select(path => Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "events"), path))
        .Order(StringComparer.Ordinal)];

    public static TheoryData<string> BadSamples => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events", "bad"), "*.json")
        .Select(path => Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "events"), path))
        .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(GoodSamples))]
    public async Task Every_good_sample_is_applied_and_a_replay_changes_nothing(string sample)
    {
        await table.AddStageAsync("q16jrGEyMbMg");
        await table.AddCompositionAsync("q16jrGEyMbMg", "26njOdqrizuv");
        await table.AddCompositionAsync("q16jrGEyMbMg", "PHicULAdcAds");
        var bytes = EventsTable.Sample(sample);

        var outcome = await _service.HandleAsync(bytes, default);
        Assert.NotEqual(IvsEventDisposition.Rejected, outcome.Disposition);
        Assert.Equal(
            sample.Contains("unknown-event-name", StringComparison.Ordinal) ? IvsEventDisposition.AppliedUnknownName
            : IvsEventDisposition.Applied,
            outcome.Disposition);
        var after = await table.ScanAsync();

        Assert.NotEqual(IvsEventDisposition.Rejected, (await _service.HandleAsync(bytes, default)).Disposition);
        Assert.Equal(after, await table.ScanAsync());
    }

    [Theory]
    [MemberData(nameof(BadSamples))]
    public async Task Every_bad_sample_is_stored_as_rejected_and_nothing_else_is_written(string sample)
    {
        await table.AddStageAsync("q16jrGEyMbMg");
        await AssertRejectedAsync(EventsTable.Sample(sample));
    }

    [Fact]
    public async Task A_one_megabyte_detail_is_rejected_without_a_crash()
    {
        await table.AddStageAsync("q16jrGEyMbMg");
        var envelope = JsonNode.Parse(EventsTable.Sample("stage-update/participant-published.json"))!.AsObject();
        envelope["id"] = "huge-event-1";
        envelope["detail"]!["padding"] = new string('x', 1024 * 1024);
        var rejected = await AssertRejectedAsync(Encoding.UTF8.GetBytes(envelope.ToJsonString()));
        Assert.Equal("huge-event-1", rejected["eventId"].S);
        Assert.Contains("EventBridge limit", rejected["reason"].S, StringComparison.Ordinal);
        Assert.Equal(RejectedEvent.MaxRawChars, rejected["rawText"].S.Length);
    }

    [Fact]
    public async Task An_event_for_an_unknown_stage_is_rejected_and_projects_nothing()
    {
        var envelope = JsonNode.Parse(EventsTable.Sample("stage-update/participant-published.json"))!.AsObject();
        envelope["id"] = "unknown-stage-event";
        envelope["resources"] = new JsonArray("arn:aws:ivs:us-east-1:123456789012:stage/noSuchStage1");
        var rejected = await AssertRejectedAsync(Encoding.UTF8.GetBytes(envelope.ToJsonString()));
        Assert.Equal("unknown stage 'noSuchStage1'", rejected["reason"].S);
        Assert.Equal("IVS Stage Update", rejected["detailType"].S);
    }

    [Fact]
    public async Task A_composition_event_for_a_composition_not_started_here_is_rejected()
    {
        await table.AddStageAsync("q16jrGEyMbMg");
        var envelope = JsonNode.Parse(EventsTable.Sample("composition-state-change/session-start.json"))!.AsObject();
        envelope["id"] = "foreign-composition";
        envelope["resources"] = new JsonArray("arn:aws:ivs:us-east-1:123456789012:composition/notOurs000001");
        var rejected = await AssertRejectedAsync(Encoding.UTF8.GetBytes(envelope.ToJsonString()));
        Assert.StartsWith("unknown composition 'notOurs000001'", rejected["reason"].S, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fresh_event_of_a_composition_the_api_has_not_stored_yet_fails_to_be_retried_and_then_applies()
    {
        await table.AddStageAsync("stageCOMP001");
        var eventTime = Base.AddSeconds(5);
        var time = new FakeTimeProvider(eventTime.AddSeconds(1));
        var service = table.Service(time);
        var start = CompositionEvent("compRACE0001", "Session Start", "race-1", 5);

        await Assert.ThrowsAsync<CompositionNotStoredYetException>(() => service.HandleAsync(start, default));
        Assert.DoesNotContain(
            (await table.Projection.ReadStageAsync("stageCOMP001", default)).Compositions.Keys, arn =>
            arn.EndsWith("/compRACE0001", StringComparison.Ordinal));
        Assert.DoesNotContain(
            await table.RejectedAsync(time.GetUtcNow()), r => r["reason"].S.Contains("compRACE0001", StringComparison.Ordinal));

        // The API stores it; Lambda's retry a minute later applies the same event.
        await table.AddCompositionAsync("stageCOMP001", "compRACE0001");
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(IvsEventDisposition.Applied, (await service.HandleAsync(start, default)).Disposition);
        Assert.Equal("ACTIVE", (await table.Compositions.FindAsync("stageCOMP001", "compRACE0001", default))!.State);
    }

    [Fact]
    public async Task An_event_of_an_unknown_composition_older_than_the_grace_is_rejected_not_retried()
    {
        await table.AddStageAsync("stageCOMP001");
        var time = new FakeTimeProvider(Base.AddSeconds(6) + IvsEventService.CompositionStoreGrace);
        var outcome = await table.Service(time).HandleAsync(CompositionEvent("compGONE0001", "Session Start", "gone-1", 5), default);

        Assert.Equal(IvsEventDisposition.Rejected, outcome.Disposition);
        Assert.Contains(
            await table.RejectedAsync(time.GetUtcNow()), r =>
            r["reason"].S.StartsWith("unknown composition 'compGONE0001'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Composition_events_move_the_app_facing_state_and_a_late_start_never_revives_it()
    {
        await table.AddStageAsync("stageCOMP001");
        await table.AddCompositionAsync("stageCOMP001", "compLIFE0001", startedBy: "dana");
        Assert.Equal(
            IvsEventDisposition.Applied, (
            await _service.HandleAsync(CompositionEvent("compLIFE0001", "Session Start", "c1", 0), default)).Disposition);
        Assert.Equal("ACTIVE", (await table.Compositions.FindAsync("stageCOMP001", "compLIFE0001", default))!.State);

        await _service.HandleAsync(
            CompositionEvent("compLIFE0001", "Destination Failure", "c2", 30, destination: "destAAAAAAAA", reason: "Channel unavailable"),
            default);
        await _service.HandleAsync(
            CompositionEvent("compLIFE0001", "Session Failure", "c3", 31, reason: "Stage resource unavailable"), default);
        await _service.HandleAsync(CompositionEvent("compLIFE0001", "Session Start", "c4", 40), default);

        var stored = (await table.Compositions.FindAsync("stageCOMP001", "compLIFE0001", default))!;
        Assert.Equal(("FAILED", "dana"), (stored.State, stored.StartedBy));
        var projected = Assert.Single((await table.Projection.ReadStageAsync("stageCOMP001", default)).Compositions.Values);
        Assert.Equal(new CompositionStatus(CompositionState.Active, null), projected.Status!.Value);
    }

    [Fact]
    public async Task Stage_events_set_the_live_session_and_an_older_session_does_not_take_it_back()
    {
        await table.AddStageAsync("stageLIVE001");
        await _service.HandleAsync(StageEvent("stageLIVE001", "st-NEWSESSION01", "Participant Published", "l1", 100), default);
        await _service.HandleAsync(StageEvent("stageLIVE001", "st-OLDSESSION01", "Participant Unpublished", "l2", 50), default);
        await _service.HandleAsync(StageEvent("stageLIVE001", "st-NEWSESSION01", "Participant Unpublished", "l3", 120), default);

        var stage = (await table.Stages.FindAsync("stageLIVE001", default))!;
        Assert.Equal("st-NEWSESSION01", stage.ActiveSessionId);
        Assert.Equal(Base.AddSeconds(100), stage.ActiveSessionObservedAt);
        Assert.Equal(2, (await table.Projection.ReadStageAsync("stageLIVE001", default)).Sessions.Count);
    }

    [Fact]
    public async Task A_throttled_store_fails_the_invocation_so_EventBridge_retries_and_nothing_is_rejected()
    {
        await table.AddStageAsync("stageTHROT01");
        var service = new IvsEventService(
            new ThrottledProjection(), table.Stages, table.Compositions, new DynamoDbRejectedEventStore(table.Client, table.Options));
        var before = await table.ScanAsync();
        await Assert.ThrowsAsync<ProvisionedThroughputExceededException>(() =>
            service.HandleAsync(StageEvent("stageTHROT01", "st-THROTTLED001", "Participant Published", "t1", 0), default));
        Assert.Equal(before, await table.ScanAsync());
    }

    [Fact]
    public async Task The_handler_logs_id_name_and_outcome_but_not_the_event()
    {
        await table.AddStageAsync("q16jrGEyMbMg");
        using var log = new MemoryStream();
        var handler = new IvsEventsHandler(_service);
        var result = await handler.HandleAsync(
            EventsTable.Sample("stage-update/participant-published.json"), EventsTable.Context(log), default);

        var line = Encoding.UTF8.GetString(log.ToArray());
        Assert.Contains("\"eventId\":\"bd9a85e3-4c63-4214-b298-0c7a848da979\"", line, StringComparison.Ordinal);
        Assert.Contains("\"eventName\":\"Participant Published\"", line, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"Applied\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", line, StringComparison.Ordinal);
        Assert.Contains("\"disposition\":\"Applied\"", Encoding.UTF8.GetString(result.Span), StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, AttributeValue>> AssertRejectedAsync(byte[] bytes)
    {
        var before = (await table.ScanAsync()).Where(l => !l.Contains("PK=REJECTED#", StringComparison.Ordinal)).ToList();
        var outcome = await _service.HandleAsync(bytes, default);
        Assert.Equal(IvsEventDisposition.Rejected, outcome.Disposition);
        Assert.False(string.IsNullOrEmpty(outcome.Reason));

        var again = await _service.HandleAsync(bytes, default);
        Assert.Equal(IvsEventDisposition.Rejected, again.Disposition);
        Assert.Equal(before, (await table.ScanAsync()).Where(l => !l.Contains("PK=REJECTED#", StringComparison.Ordinal)));

        var rejected = (await table.RejectedAsync(Now)).Where(
            i => i["reason"].S == outcome.Reason
            && i["rawBytes"].N == bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var item = Assert.Single(rejected);
        Assert.Equal(
            Now.Add(RejectedEvent.Retention).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item[
            TableLayout.ExpiresAt].N);
        return item;
    }

    private static readonly DateTimeOffset Base = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static byte[] StageEvent(string stageId, string sessionId, string name, string id, int second) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["version"] = "0",
            ["id"] = id,
            ["detail-type"] = "IVS Stage Update",
            ["source"] = "aws.ivs",
            ["account"] = "123456789012",
            ["time"] = Time(second),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(
            $"arn:aws:ivs:us-east-1:123456789012:stage/{stageId}"),
            ["detail"] = new JsonObject
            {
                ["session_id"] = sessionId,
                ["event_name"] = name,
                ["event_time"] = Time(second),
                ["user_id"] = "erin",
                [
            "participant_id"] = "pERIN0000001"
            },
        }.ToJsonString());

    private static byte[] CompositionEvent(
        string compositionId, string name, string id, int second, string? destination = null, string? reason = null)
    {
        var detail = new JsonObject { ["event_name"] = name, ["stage_arn"] = "arn:aws:ivs:us-east-1:123456789012:stage/stageCOMP001" };
        if (destination is not null)
        {
            detail["destination_id"] = destination;
        }

        if (reason is not null)
        {
            detail["reason"] = reason;
        }

        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["version"] = "0",
            ["id"] = id,
            ["detail-type"] = "IVS Composition State Change",
            ["source"] = "aws.ivs",
            [
                "account"] = "123456789012",
            ["time"] = Time(second),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(
                $"arn:aws:ivs:us-east-1:123456789012:composition/{compositionId}"),
            ["detail"] = detail,
        }.ToJsonString());
    }

    private static string Time(int second) =>
        Base.AddSeconds(second).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class ThrottledProjection : IProjectionStore
    {
        public Task ApplyAsync(ParsedIvsEvent ivsEvent, CancellationToken cancellationToken) =>
            throw new ProvisionedThroughputExceededException("Rate exceeded");

        public Task RecordPresenceAsync(ParticipantPresence presence, CancellationToken cancellationToken) =>
            throw new ProvisionedThroughputExceededException("Rate exceeded");
    }
}
