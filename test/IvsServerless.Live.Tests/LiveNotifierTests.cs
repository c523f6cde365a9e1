using IvsServerless.Core.Live;
using IvsServerless.Live.Notifier;
using IvsServerless.Live.Streams;
using static IvsServerless.Live.Tests.Images;

namespace IvsServerless.Live.Tests;

public sealed class LiveNotifierTests
{
    private readonly InMemoryLiveStore _store = new();
    private readonly RecordingPoster _poster = new();

    private LiveNotifier Notifier => new(_store, _poster);

    private async Task ConnectAsync(string connectionId, string userId, bool subscribe = true)
    {
        var connection = new LiveConnection(connectionId, userId, DateTimeOffset.UnixEpoch);
        await _store.AddAsync(connection, default);
        if (subscribe)
        {
            await _store.SubscribeAsync(connection, StageId, 25, default);
        }
    }

    private static List<StreamEventRecord> Records(params Infrastructure.Live.TableChange[] changes) =>
        [.. changes.Select((c, i) => new StreamEventRecord((100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), c))];

    [Fact]
    public async Task Changes_reach_subscribers_with_consecutive_versions_in_stream_order()
    {
        await ConnectAsync("c1", "alice");
        await ConnectAsync("c2", "bob");

        var result = await Notifier.ProcessAsync(Records(
            Modify(Stage(), Stage(activeSession: "st-1", version: 2)),
            Insert(Participant(publishing: true)),
            Modify(Participant(publishing: true), Participant(publishing: false))), default);

        Assert.Null(result.FirstFailedSequenceNumber);
        foreach (var connection in new[] { "c1", "c2" })
        {
            var received = _poster.To(connection);
            Assert.Equal(4, received.Count);
            Assert.StartsWith("""{"type":"stage-changed","live":true""", received[0], StringComparison.Ordinal);
            Assert.Contains("\"type\":\"participant-joined\"", received[1], StringComparison.Ordinal);
            Assert.Contains("\"type\":\"publishing-started\"", received[2], StringComparison.Ordinal);
            Assert.Contains("\"type\":\"publishing-stopped\"", received[3], StringComparison.Ordinal);
            for (var i = 0; i < 4; i++)
            {
                Assert.Contains($"\"version\":{i + 1}", received[i], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_user_message_reaches_every_connection_of_that_user_only_and_takes_no_version()
    {
        await ConnectAsync("c1", "alice");
        await ConnectAsync("b1", "bob", subscribe: false);
        await ConnectAsync("b2", "bob", subscribe: false);

        await Notifier.ProcessAsync(Records(Modify(Stage(), Stage(coHosts: ["bob"], version: 2))), default);

        Assert.Equal(["""{"type":"promoted","stageId":"AbCdEf123456","version":1}"""], _poster.To("b1"));
        Assert.Equal(_poster.To("b1"), _poster.To("b2"));
        Assert.Single(_poster.To("c1"));
        Assert.Equal(1, await _store.CurrentVersionAsync(StageId, default));
    }

    [Fact]
    public async Task A_kick_reaches_the_user_behind_the_participant()
    {
        _store.ParticipantUsers[(StageId, "st-1", "p-1")] = "eve";
        await ConnectAsync("e1", "eve", subscribe: false);
        await ConnectAsync("c1", "alice");

        await Notifier.ProcessAsync(Records(Insert(Kick())), default);

        Assert.Contains("\"type\":\"kicked\"", Assert.Single(_poster.To("e1")), StringComparison.Ordinal);
        Assert.Empty(_poster.To("c1"));
    }

    [Fact]
    public async Task A_removed_invitee_gets_access_revoked_last_and_loses_the_subscription()
    {
        await ConnectAsync("d1", "dave");
        await ConnectAsync("o1", "owner");

        await Notifier.ProcessAsync(Records(
            Modify(Stage(visibility: "private", invited: ["dave"]), Stage(visibility: "private", version: 2)),
            Modify(Stage(visibility: "private", version: 2), Stage(visibility: "private", activeSession: "st-1", version: 3))), default);

        Assert.Equal(["""{"type":"access-revoked","stageId":"AbCdEf123456","version":1}"""], _poster.To("d1"));
        Assert.Equal(2, _poster.To("o1").Count);
        Assert.Equal(["o1"], (await _store.SubscribersAsync(StageId, default)).Select(s => s.ConnectionId));
    }

    [Fact]
    public async Task Making_a_stage_private_revokes_strangers_but_not_its_members()
    {
        await ConnectAsync("s1", "stranger");
        await ConnectAsync("b1", "bob");

        await Notifier.ProcessAsync(
            Records(Modify(Stage(coHosts: ["bob"]), Stage(visibility: "private", coHosts: ["bob"], version: 2))), default);

        Assert.Contains("access-revoked", Assert.Single(_poster.To("s1")), StringComparison.Ordinal);
        Assert.Contains("stage-changed", Assert.Single(_poster.To("b1")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_stage_ends_every_subscription()
    {
        await ConnectAsync("c1", "alice");

        await Notifier.ProcessAsync(Records(Modify(Stage(), Stage(deleted: true, version: 2))), default);

        Assert.Contains("stage-deleted", Assert.Single(_poster.To("c1")), StringComparison.Ordinal);
        Assert.Empty(await _store.SubscribersAsync(StageId, default));
    }

    [Fact]
    public async Task A_gone_connection_is_forgotten_and_the_others_still_get_the_message()
    {
        await ConnectAsync("gone", "alice");
        await ConnectAsync("c2", "bob");
        _poster.Gone.Add("gone");

        var result = await Notifier.ProcessAsync(Records(Insert(Composition("STARTING"))), default);

        Assert.Equal((1, 1), (result.Posted, result.Gone));
        Assert.Null(await _store.FindAsync("gone", default));
        Assert.Equal(["c2"], (await _store.SubscribersAsync(StageId, default)).Select(s => s.ConnectionId));
    }

    [Fact]
    public async Task A_failure_reports_that_record_so_it_and_the_rest_are_retried_and_the_retry_shows_a_gap()
    {
        await ConnectAsync("flaky", "alice");
        await ConnectAsync("c2", "bob");
        var records = Records(Insert(Composition("STARTING")), Modify(Composition("STARTING"), Composition("ACTIVE")));
        _poster.Failing.Add("flaky");

        var first = await Notifier.ProcessAsync(records, default);
        Assert.Equal("100", first.FirstFailedSequenceNumber);
        Assert.Equal("100", StreamEvent.FirstFailure(StreamEvent.BatchResponse(first.FirstFailedSequenceNumber)));

        _poster.Failing.Clear();
        var retry = await Notifier.ProcessAsync(records, default);
        Assert.Null(retry.FirstFailedSequenceNumber);
        Assert.Equal([2, 3], _poster.To("flaky").Select(VersionOf));
    }

    [Fact]
    public async Task Items_clients_never_see_post_nothing_and_take_no_version()
    {
        await ConnectAsync("c1", "alice");

        await Notifier.ProcessAsync(
            Records(Insert(Item("STAGE#" + StageId, "SESSION#st-1")), Insert(Item("CONNECTION#x", "CONNECTION"))), default);

        Assert.Empty(_poster.Posts);
        Assert.Equal(0, await _store.CurrentVersionAsync(StageId, default));
    }

    private static long VersionOf(string json) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("version").GetInt64();
}
