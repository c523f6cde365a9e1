using System.Text;
using IvsServerless.Core.Live;
using IvsServerless.Core.Stages;
using IvsServerless.Live.Connections;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Live.Tests;

/// <summary>The $default route: a refused frame is an error message on that connection and writes nothing.</summary>
public sealed class LiveConnectionServiceTests
{
    private const string PublicStage = "Public123456";
    private const string PrivateStage = "Private12345";
    private readonly InMemoryLiveStore _store = new();
    private readonly InMemoryStageStore _stages = new();
    private readonly FakeTimeProvider _time = new(
        DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly LiveConnectionService _service;

    public LiveConnectionServiceTests()
    {
        _service = new LiveConnectionService(_store, _stages, _time);
        _stages.Stages[PublicStage] = Stage(PublicStage, StageVisibility.Public);
        _stages.Stages[PrivateStage] = Stage(PrivateStage, StageVisibility.Private, invited: ["invitee"]);
    }

    private static Stage Stage(string id, StageVisibility visibility, string[]? invited = null) =>
        new(
            id, "arn:" + id, "demo", "owner", visibility, new HashSet<string>(), new HashSet<string>(invited ?? []),
            DateTimeOffset.UnixEpoch);

    private async Task<LiveMessage> SendAsync(string frame, string user = "alice", string connection = "c1")
    {
        if (await _store.FindAsync(connection, default) is null)
        {
            await _service.ConnectAsync(connection, user, default);
        }

        return await _service.HandleFrameAsync(connection, user, Encoding.UTF8.GetBytes(frame), default);
    }

    private async Task<int> WritesAfterConnectAsync(string frame, string user = "alice")
    {
        await _service.ConnectAsync("c1", user, default);
        var before = _store.Writes;
        var reply = await _service.HandleFrameAsync("c1", user, Encoding.UTF8.GetBytes(frame), default);
        Assert.IsType<LiveError>(reply);
        return _store.Writes - before;
    }

    [Fact]
    public async Task Subscribing_to_a_visible_stage_answers_its_live_version()
    {
        await _store.AdvanceVersionAsync(PublicStage, 7, default);

        Assert.Equal(new Subscribed(PublicStage, 7), await SendAsync($$"""{"action":"subscribe","stageId":"{{PublicStage}}"}"""));
        Assert.Equal(new Subscribed(PrivateStage, 0),
            await SendAsync($$"""{"action":"subscribe","stageId":"{{PrivateStage}}"}""", "invitee", "c2"));
        Assert.Equal(
            2, (await _store.SubscribersAsync(PublicStage, default)).Count + (await _store.SubscribersAsync(PrivateStage, default)).Count);
    }

    [Fact]
    public async Task A_private_stage_answers_a_stranger_exactly_like_a_missing_one_and_writes_nothing()
    {
        var hidden = await SendAsync($$"""{"action":"subscribe","stageId":"{{PrivateStage}}"}""", "stranger");
        var missing = await SendAsync("""{"action":"subscribe","stageId":"Missing12345"}""", "stranger");

        Assert.Equal(new LiveError(LiveErrorCodes.StageNotFound, "No such stage.", PrivateStage), hidden);
        Assert.Equal(((LiveError)hidden).Message, ((LiveError)missing).Message);
        Assert.Empty(await _store.SubscribersAsync(PrivateStage, default));
    }

    [Fact]
    public async Task A_deleted_stage_cannot_be_subscribed()
    {
        _stages.Stages[PublicStage] = _stages.Stages[PublicStage] with { Deleted = true };
        Assert.Equal(LiveErrorCodes.StageNotFound,
            Assert.IsType<LiveError>(await SendAsync($$"""{"action":"subscribe","stageId":"{{PublicStage}}"}""")).Code);
    }

    [Theory]
    [InlineData("not json", LiveErrorCodes.InvalidJson)]
    [InlineData("[1,2]", LiveErrorCodes.InvalidJson)]
    [InlineData("""{"action":"dance"}""", LiveErrorCodes.UnknownAction)]
    [InlineData("""{}""", LiveErrorCodes.UnknownAction)]
    [InlineData("""{"action":"subscribe"}""", LiveErrorCodes.InvalidStageId)]
    [InlineData("""{"action":"subscribe","stageId":"../../x"}""", LiveErrorCodes.InvalidStageId)]
    [InlineData("""{"action":"unsubscribe","stageId":42}""", LiveErrorCodes.InvalidJson)]
    [InlineData("""{"action":"subscribe","stageId":"Private12345"}""", LiveErrorCodes.StageNotFound)]
    public async Task A_bad_frame_is_an_error_message_and_writes_nothing(string frame, string code)
    {
        await _service.ConnectAsync("c1", "alice", default);
        var before = _store.Writes;

        var reply = Assert.IsType<LiveError>(await _service.HandleFrameAsync("c1", "alice", Encoding.UTF8.GetBytes(frame), default));

        Assert.Equal(code, reply.Code);
        Assert.Equal(before, _store.Writes);
    }

    [Fact]
    public async Task A_frame_over_32_KB_is_refused_and_writes_nothing()
    {
        var frame =
            $$"""{"action":"subscribe","stageId":"{{PublicStage}}","pad":"{{new string('x', LiveConnectionService.MaxFrameBytes)}}"}""";
        Assert.Equal(0, await WritesAfterConnectAsync(frame));
    }

    [Fact]
    public async Task A_burst_of_a_thousand_subscribes_is_answered_and_only_the_allowed_ones_write()
    {
        await _service.ConnectAsync("c1", "alice", default);
        await _service.ConnectAsync("c2", "bob", default);
        var frame = Encoding.UTF8.GetBytes($$"""{"action":"subscribe","stageId":"{{PublicStage}}"}""");

        var replies = new List<LiveMessage>();
        for (var i = 0; i < 1000; i++)
        {
            replies.Add(await _service.HandleFrameAsync("c1", "alice", frame, default));
        }

        Assert.Equal(LiveConnectionService.BurstFrames, replies.Count(r => r is Subscribed));
        Assert.All(replies.Skip(LiveConnectionService.BurstFrames), r => Assert.Equal(LiveErrorCodes.TooManyRequests, ((LiveError)r).Code));
        Assert.Equal(new Pong(), await _service.HandleFrameAsync("c2", "bob", """{"action":"ping"}"""u8.ToArray(), default));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsType<Subscribed>(await _service.HandleFrameAsync("c1", "alice", frame, default));
    }

    [Fact]
    public async Task A_connection_follows_a_bounded_number_of_stages()
    {
        await _service.ConnectAsync("c1", "alice", default);
        for (var i = 0; i <= LiveConnectionService.MaxSubscriptions; i++)
        {
            var id = $"Stage{i:D7}";
            _stages.Stages[id] = Stage(id, StageVisibility.Public);
            _time.Advance(TimeSpan.FromSeconds(1));
            var reply = await _service.HandleFrameAsync(
                "c1", "alice", Encoding.UTF8.GetBytes($$"""{"action":"subscribe","stageId":"{{id}}"}"""), default);
            Assert.Equal(i < LiveConnectionService.MaxSubscriptions ? Subscribed.Type : LiveErrorCodes.TooManySubscriptions,
                reply is LiveError e ? e.Code : Subscribed.Type);
        }
    }

    [Fact]
    public async Task Unsubscribe_ping_and_disconnect()
    {
        await SendAsync($$"""{"action":"subscribe","stageId":"{{PublicStage}}"}""");
        Assert.Equal(new Unsubscribed(PublicStage), await SendAsync($$"""{"action":"unsubscribe","stageId":"{{PublicStage}}"}"""));
        Assert.Empty(await _store.SubscribersAsync(PublicStage, default));
        Assert.Equal(new Pong(), await SendAsync("""{"action":"ping"}"""));

        await SendAsync($$"""{"action":"subscribe","stageId":"{{PublicStage}}"}""");
        await _service.DisconnectAsync("c1", default);
        Assert.Null(await _store.FindAsync("c1", default));
        Assert.Empty(await _store.SubscribersAsync(PublicStage, default));
    }
}
