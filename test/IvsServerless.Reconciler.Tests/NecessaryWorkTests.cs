using IvsServerless.Core.Ivs;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Reconciliation;
using IvsServerless.Reconciler.Tests.Fakes;

namespace IvsServerless.Reconciler.Tests;

/// <summary>
/// The reconciler reads the projection and looks up (<c>ListParticipantEvents</c>) only the publishing state it cannot
/// vouch for; it reports checks and repairs apart, a repair being a write that changed something.
/// </summary>
public sealed class NecessaryWorkTests
{
    private static readonly DateTimeOffset T = Harness.T0.AddMinutes(-30);

    /// <summary>A slice count no participant id here falls into the cycle's slice of: no rechecks of vouched publishers.</summary>
    private const int NoRecheck = 1_000_003;

    /// <summary>
    /// <paramref name="count"/> live stages: a publisher whose Published event reached the projection, a viewer, and one
    /// who left while publishing whose Unpublished was lost (the projection still says publishing).
    /// </summary>
    private static Harness Steady(int count, int recheckSlices = NoRecheck)
    {
        var h = new Harness(o => new ReconcilerOptions
        {
            DeploymentTag = o.DeploymentTag,
            IdleStageAfter = o.IdleStageAfter,
            PublishRecheckSlices = recheckSlices,
        }, withHistory: true);
        for (var i = 0; i < count; i++)
        {
            var stage = h.AddStage($"live{i:D3}", T.AddHours(-1));
            var session = stage.StartSession($"st-{i:D3}", T);
            session.Join("pub", "alice", T).Publish(T.AddSeconds(1));
            session.Join("viewer", "bob", T);
            session.Join("gone", "carol", T).Publish(T.AddSeconds(1)).Leave(T.AddSeconds(5));
            Seen(h, stage, session.Id, "pub", "alice", T.AddSeconds(1));
            Seen(h, stage, session.Id, "gone", "carol", T.AddSeconds(1));
        }

        return h;
    }

    private static void Seen(Harness h, FakeStage stage, string sessionId, string participantId, string userId, DateTimeOffset at) =>
        h.Projection.ApplyAsync(
            PublishStateEvents.Build(stage.Arn, sessionId, participantId, userId, PublishStateEvents.PublishStarted, at),
            CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public async Task A_steady_pass_looks_up_no_publisher_the_projection_vouches_for_nor_one_ivs_lists_as_disconnected()
    {
        var h = Steady(20);

        var report = await h.RunAsync();

        Assert.True(report.CycleCompleted);
        Assert.Equal(20, h.Ivs.CallsOf("ListParticipants"));
        Assert.Equal(0, h.Ivs.CallsOf("ListParticipantEvents"));
        Assert.Equal((0, 0), (report.PublishStatesChecked, report.PublishStatesRepaired));
        Assert.Equal(60, report.PresenceRecorded);
        var gone = new ParticipantKey("live000", "st-000", "gone");
        Assert.False(h.Projection.PresenceOf(gone)!.Connected);
    }

    [Fact]
    public async Task A_publisher_whose_publish_event_was_lost_is_looked_up_and_repaired_alone()
    {
        var h = Steady(10);
        var stage = h.AddStage("lost", T.AddHours(-1));
        stage.StartSession("st-lost", T).Join("pub", "dave", T).Publish(T.AddSeconds(2));

        var report = await h.RunAsync();

        Assert.Equal(1, h.Ivs.CallsOf("ListParticipantEvents"));
        Assert.Equal((1, 1), (report.PublishStatesChecked, report.PublishStatesRepaired));
        Assert.True(h.Projection.PublishingOf(new ParticipantKey("lost", "st-lost", "pub")));
    }

    [Fact]
    public async Task A_check_that_finds_the_projection_right_is_not_a_repair()
    {
        // One slice: every connected publisher is looked up on every pass; none of them needs a write.
        var h = Steady(10, recheckSlices: 1);

        var report = await h.RunAsync();

        Assert.Equal(10, h.Ivs.CallsOf("ListParticipantEvents"));
        Assert.Equal((10, 0), (report.PublishStatesChecked, report.PublishStatesRepaired));
        Assert.Equal(20, h.Projection.Applied.Count);
    }

    [Fact]
    public async Task A_lost_unpublish_of_a_connected_publisher_is_found_by_the_recheck_of_its_slice()
    {
        var h = Steady(0, recheckSlices: 1);
        var stage = h.AddStage("quiet", T.AddHours(-1));
        stage.StartSession("st-quiet", T).Join("pub", "erin", T).Publish(T.AddSeconds(1)).Unpublish(T.AddSeconds(3));
        Seen(h, stage, "st-quiet", "pub", "erin", T.AddSeconds(1));

        var report = await h.RunAsync();

        Assert.Equal((1, 1), (report.PublishStatesChecked, report.PublishStatesRepaired));
        Assert.False(h.Projection.PublishingOf(new ParticipantKey("quiet", "st-quiet", "pub")));
    }

    [Fact]
    public void Whether_a_participant_needs_a_lookup()
    {
        var connected = new IvsParticipant("p", "u", true, T, true);
        var vouched = new Core.Sessions.SessionParticipant(
            new ParticipantProjection(new ParticipantKey("s", "st", "p"), T, T,
                Publishing: new Stamped<bool>(true, new EventStamp(T, 0, "e"))), true, T, []);
        var unknown = vouched with { Projection = vouched.Projection with { Publishing = null } };

        Assert.False(ReconcilerService.NeedsPublishCheck(connected, vouched, inRecheckSlice: false));
        Assert.True(ReconcilerService.NeedsPublishCheck(connected, vouched, inRecheckSlice: true));
        Assert.True(ReconcilerService.NeedsPublishCheck(connected, unknown, inRecheckSlice: false));
        Assert.True(ReconcilerService.NeedsPublishCheck(connected, null, inRecheckSlice: false));
        Assert.False(ReconcilerService.NeedsPublishCheck(connected with { Connected = false }, unknown, inRecheckSlice: true));
        Assert.False(ReconcilerService.NeedsPublishCheck(connected with { Published = false }, unknown, inRecheckSlice: true));
        Assert.False(ReconcilerService.NeedsPublishCheck(connected with { IsReplica = true }, unknown, inRecheckSlice: true));
    }

    [Fact]
    public void Live_stages_of_a_page_come_first_each_group_in_listing_order()
    {
        IvsStageSummary Stage(string id, string? session) => new(FakeIvs.ArnOf(id), session, new Dictionary<string, string>());

        var ordered = ReconcilerService.BusyFirst([Stage("a", null), Stage("b", "st-b"), Stage("c", null), Stage("d", "st-d")]);

        Assert.Equal(["b", "d", "a", "c"], ordered.Select(s => s.Arn[(s.Arn.LastIndexOf('/') + 1)..]));
    }

    [Fact]
    public void Recheck_slices_are_stable_and_spread()
    {
        var slices = Enumerable.Range(0, 3700).Select(i => ReconcilerService.SliceOf("st", $"p{i}", 37)).ToList();

        Assert.Equal(slices, Enumerable.Range(0, 3700).Select(i => ReconcilerService.SliceOf("st", $"p{i}", 37)));
        Assert.All(slices.GroupBy(s => s), g => Assert.InRange(g.Count(), 50, 150));
        Assert.Equal(37, slices.Distinct().Count());
    }
}
