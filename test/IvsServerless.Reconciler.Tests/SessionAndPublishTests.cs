using IvsServerless.Core.Projection;
using IvsServerless.Core.Reconciliation;
using IvsServerless.Reconciler.Tests.Fakes;

namespace IvsServerless.Reconciler.Tests;

public sealed class SessionAndPublishTests
{
    private static readonly DateTimeOffset Second = Harness.T0.AddMinutes(-5);
    private static readonly ParticipantKey Pub = new("s1", "st-1", "pub");

    /// <summary>What EventBridge delivered: whole-second times (IVS's), random ids.</summary>
    private static Core.Events.ParsedIvsEvent Delivered(string name) =>
        PublishStateEvents.Build(FakeIvs.ArnOf("s1"), "st-1", "pub", "alice", name, Second);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Equal_time_publish_and_unpublish_converge_to_the_api_order_after_one_pass(bool endsPublishing)
    {
        var h = new Harness();
        var participant = h.AddStage("s1", Harness.T0.AddHours(-1)).StartSession("st-1", Second).Join("pub", "alice", Second);
        if (endsPublishing)
        {
            // Stopped and started again within the second: the rank rule alone says "not publishing".
            participant.Publish(Second.AddMilliseconds(100)).Unpublish(Second.AddMilliseconds(300)).Publish(Second.AddMilliseconds(700));
        }
        else
        {
            participant.Unpublish(Second).Publish(Second.AddMilliseconds(500)).Unpublish(Second.AddMilliseconds(900));
        }

        await h.Projection.ApplyAsync(Delivered(PublishStateEvents.PublishStarted), default);
        await h.Projection.ApplyAsync(Delivered(PublishStateEvents.PublishStopped), default);
        Assert.False(h.Projection.PublishingOf(Pub));

        await h.RunAsync();
        Assert.Equal(endsPublishing, h.Projection.PublishingOf(Pub));

        // A second pass writes the same stamps: nothing changes.
        var after = h.Projection.State;
        await h.RunAsync();
        Assert.Equal(after, h.Projection.State);
    }

    [Fact]
    public async Task Equal_api_times_are_ordered_by_the_newest_first_list()
    {
        var h = new Harness();
        h.AddStage("s1", Harness.T0.AddHours(-1)).StartSession("st-1", Second).Join("pub", "alice", Second)
            .Publish(Second).Unpublish(Second).Publish(Second);
        await h.Projection.ApplyAsync(Delivered(PublishStateEvents.PublishStarted), default);
        await h.Projection.ApplyAsync(Delivered(PublishStateEvents.PublishStopped), default);

        await h.RunAsync();

        Assert.True(h.Projection.PublishingOf(Pub));
    }

    [Fact]
    public async Task A_real_event_of_a_later_second_still_wins_over_a_repair()
    {
        var h = new Harness();
        h.AddStage("s1", Harness.T0.AddHours(-1)).StartSession("st-1", Second).Join("pub", "alice", Second).Publish(
            Second.AddMilliseconds(400));
        await h.RunAsync();
        Assert.True(h.Projection.PublishingOf(Pub));

        await h.Projection.ApplyAsync(
            PublishStateEvents.Build(FakeIvs.ArnOf("s1"), "st-1", "pub", "alice", PublishStateEvents.PublishStopped,
            Second.AddSeconds(1)), default);

        Assert.False(h.Projection.PublishingOf(Pub));
    }

    [Fact]
    public async Task A_session_that_ended_is_closed_with_its_participants_disconnected_and_unpublished()
    {
        var h = new Harness();
        var stage = h.AddStage("s1", Harness.T0.AddHours(-1));
        var session = stage.StartSession("st-1", Second);
        session.Join("pub", "alice", Second).Publish(Second.AddSeconds(1));
        session.Join("viewer", "bob", Second);
        await h.RunAsync();
        Assert.Equal("st-1", h.Stages["s1"].ActiveSessionId);
        Assert.True(h.Projection.PresenceOf(new("s1", "st-1", "viewer"))!.Connected);

        // Everyone leaves and IVS ends the session; no event says so.
        session.EndAt(Harness.T0.AddSeconds(30));
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var report = await h.RunAsync();

        Assert.Equal(1, report.SessionsClosed);
        Assert.Null(h.Stages["s1"].ActiveSessionId);
        Assert.False(h.Projection.PresenceOf(new("s1", "st-1", "viewer"))!.Connected);
        Assert.False(h.Projection.PresenceOf(Pub)!.Connected);
        Assert.False(h.Projection.PublishingOf(Pub));
    }

    [Fact]
    public async Task Repair_events_have_the_shape_and_the_stable_id_of_the_parser()
    {
        var a = PublishStateEvents.Build(
            FakeIvs.ArnOf("s1"), "st-1", "pub", "alice", PublishStateEvents.PublishStarted, Second.AddTicks(1));
        var b = PublishStateEvents.Build(
            FakeIvs.ArnOf("s1"), "st-1", "pub", "alice", PublishStateEvents.PublishStarted, Second.AddTicks(1));
        var c = PublishStateEvents.Build(
            FakeIvs.ArnOf("s1"), "st-1", "pub", "alice", PublishStateEvents.PublishStopped, Second.AddTicks(1));

        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
        Assert.True(Guid.TryParse(a.Id, out _));
        Assert.Equal(Core.Events.IvsEventName.ParticipantPublished, a.EventName);
        Assert.Equal(Second.AddTicks(1), a.EventTime);
        Assert.Equal(Pub, Projector.ParticipantKeyOf(a));
        Assert.Equal("123456789012", a.Envelope.Account);
        await Task.CompletedTask;
    }
}
