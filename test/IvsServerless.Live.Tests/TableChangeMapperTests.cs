using IvsServerless.Core.Live;
using IvsServerless.Infrastructure.Live;
using static IvsServerless.Live.Tests.Images;

namespace IvsServerless.Live.Tests;

/// <summary>Every item kind of the table and every change of it: the messages and who gets them.</summary>
public sealed class TableChangeMapperTests
{
    private static List<(Audience Audience, StageMessage Message)> Map(TableChange change) =>
        [.. (TableChangeMapper.Map(change)?.Deliveries ?? []).Select(d => (d.Audience, d.Message))];

    [Fact]
    public void A_new_stage_is_announced_and_its_co_hosts_and_invitees_are_told()
    {
        var deliveries = Map(Insert(Stage(visibility: "private", coHosts: ["bob"], invited: ["carol"])));

        Assert.Equal(3, deliveries.Count);
        var changed = Assert.IsType<StageChanged>(deliveries[0].Message);
        Assert.Same(Audience.Subscribers, deliveries[0].Audience);
        Assert.Equal(new StageSettings("demo", "private", ["bob"]).Name, changed.Settings.Name);
        Assert.Equal(["bob"], changed.Settings.CoHostIds);
        Assert.False(changed.Live);
        Assert.Equal((Audience.User("bob"), (StageMessage)new Promoted(StageId, 0)), deliveries[1]);
        Assert.Equal((Audience.User("carol"), (StageMessage)new Invited(StageId, 0)), deliveries[2]);
    }

    [Fact]
    public void Going_live_and_idle_are_stage_changes_with_the_session()
    {
        var live = Assert.IsType<StageChanged>(Assert.Single(Map(Modify(Stage(), Stage(activeSession: "st-1", version: 2)))).Message);
        Assert.True(live.Live);
        Assert.Equal("st-1", live.ActiveSessionId);

        var idle = Assert.IsType<StageChanged>(
            Assert.Single(Map(Modify(Stage(activeSession: "st-1", version: 2), Stage(version: 3)))).Message);
        Assert.False(idle.Live);
        Assert.Null(idle.ActiveSessionId);
    }

    [Fact]
    public void Renaming_and_changing_visibility_are_stage_changes()
    {
        Assert.Equal("renamed",
            Assert.IsType<StageChanged>(Assert.Single(Map(Modify(Stage(), Stage(name: "renamed", version: 2)))).Message).Settings.Name);
        Assert.Equal("private", Assert.IsType<StageChanged>(
            Assert.Single(Map(Modify(Stage(), Stage(visibility: "private", version: 2)))).Message).Settings.Visibility);
    }

    [Fact]
    public void A_write_that_changes_nothing_a_viewer_sees_is_silent_but_still_carries_the_stage()
    {
        var change = TableChangeMapper.Map(Modify(Stage(), Stage(version: 2, endpoints: "wss://events")));

        Assert.NotNull(change);
        Assert.Empty(change.Deliveries);
        Assert.Equal(0, change.VersionCount);
        Assert.NotNull(change.StageAfter);
    }

    [Fact]
    public void Adding_and_removing_co_hosts_promotes_and_demotes_them()
    {
        var deliveries = Map(Modify(Stage(coHosts: ["bob"]), Stage(coHosts: ["carol"], version: 2)));

        Assert.IsType<StageChanged>(deliveries[0].Message);
        Assert.Contains((Audience.User("carol"), (StageMessage)new Promoted(StageId, 0)), deliveries);
        Assert.Contains((Audience.User("bob"), (StageMessage)new Demoted(StageId, 0)), deliveries);
        Assert.Equal(3, deliveries.Count);
    }

    [Fact]
    public void An_invitation_reaches_the_invitee_and_a_removal_leaves_the_stage_to_revoke_access()
    {
        var invited = Map(Modify(Stage(visibility: "private"), Stage(visibility: "private", invited: ["dave"], version: 2)));
        Assert.Contains((Audience.User("dave"), (StageMessage)new Invited(StageId, 0)), invited);

        var removal = TableChangeMapper.Map(
            Modify(Stage(visibility: "private", invited: ["dave"]), Stage(visibility: "private", version: 2)))!;
        Assert.IsType<StageChanged>(Assert.Single(removal.Deliveries).Message);
        Assert.False(removal.StageAfter!.IsVisibleTo("dave"));
        Assert.True(removal.StageAfter.IsVisibleTo("owner"));
    }

    [Fact]
    public void Deleting_a_stage_ends_it_once()
    {
        var deleted = TableChangeMapper.Map(Modify(Stage(), Stage(deleted: true, version: 2)))!;
        Assert.IsType<StageDeleted>(Assert.Single(deleted.Deliveries).Message);
        Assert.True(deleted.StageGone);

        var removed = TableChangeMapper.Map(Remove(Stage()))!;
        Assert.IsType<StageDeleted>(Assert.Single(removed.Deliveries).Message);

        Assert.Empty(TableChangeMapper.Map(Modify(Stage(deleted: true), Stage(deleted: true, version: 3)))!.Deliveries);
        Assert.Empty(TableChangeMapper.Map(Remove(Stage(deleted: true)))!.Deliveries);
    }

    [Fact]
    public void Composition_state_changes_are_announced_and_other_writes_are_not()
    {
        var started = Assert.IsType<CompositionChanged>(Assert.Single(Map(Insert(Composition("STARTING")))).Message);
        Assert.Equal(("Comp12345678", "STARTING"), (started.CompositionId, started.State));

        var failed = Assert.IsType<CompositionChanged>(
            Assert.Single(Map(Modify(Composition("ACTIVE"), Composition("FAILED", "encoder crashed")))).Message);
        Assert.Equal(("FAILED", "encoder crashed"), (failed.State, failed.FailureReason));

        Assert.Empty(Map(Modify(Composition("ACTIVE"), Composition("ACTIVE", eventState: "RECONNECTING"))));
        Assert.Empty(Map(Remove(Composition("STOPPED"))));
    }

    [Fact]
    public void A_participant_joins_when_first_seen_and_leaves_when_observed_gone()
    {
        var joined = Assert.IsType<ParticipantJoined>(Assert.Single(Map(Insert(Participant()))).Message);
        Assert.Equal(("st-1", "p-1", "alice"), (joined.SessionId, joined.ParticipantId, joined.UserId));
        Assert.IsType<ParticipantJoined>(Assert.Single(Map(Insert(Participant(connected: true)))).Message);
        Assert.Empty(Map(Insert(Participant(connected: false))));

        Assert.Empty(Map(Modify(Participant(), Participant(connected: true, lastSeen: "2"))));
        Assert.IsType<ParticipantLeft>(Assert.Single(Map(Modify(Participant(connected: true), Participant(connected: false)))).Message);
        Assert.IsType<ParticipantLeft>(Assert.Single(Map(Modify(Participant(), Participant(connected: false)))).Message);
        Assert.IsType<ParticipantJoined>(Assert.Single(Map(Modify(Participant(connected: false), Participant(connected: true)))).Message);
        Assert.Empty(Map(Modify(Participant(connected: true), Participant(connected: true, lastSeen: "3"))));
    }

    [Fact]
    public void Publishing_starts_and_stops()
    {
        Assert.IsType<PublishingStarted>(Map(Insert(Participant(publishing: true, userId: null)))[1].Message);
        Assert.IsType<PublishingStarted>(Assert.Single(Map(Modify(Participant(publishing: false), Participant(publishing: true)))).Message);
        Assert.IsType<PublishingStopped>(Assert.Single(Map(Modify(Participant(publishing: true), Participant(publishing: false)))).Message);
        Assert.Empty(Map(Modify(Participant(), Participant(publishing: false))));
    }

    [Fact]
    public void Recording_state_changes_are_announced()
    {
        var recording = Assert.IsType<RecordingChanged>(
            Assert.Single(Map(Modify(Participant(recording: "ACTIVE"), Participant(recording: "END_FAILED")))).Message);
        Assert.Equal("END_FAILED", recording.State);
        Assert.Empty(Map(Modify(Participant(recording: "ACTIVE"), Participant(recording: "ACTIVE", lastSeen: "4"))));
    }

    [Fact]
    public void One_write_with_several_changes_gives_them_in_order_each_taking_a_version()
    {
        var change = TableChangeMapper.Map(Insert(Participant(connected: true, publishing: true, recording: "ACTIVE")))!;

        Assert.Equal([typeof(ParticipantJoined), typeof(PublishingStarted), typeof(RecordingChanged)],
            change.Deliveries.Select(d => d.Message.GetType()));
        Assert.Equal(3, change.VersionCount);
    }

    [Fact]
    public void A_kick_reaches_the_kicked_user_or_the_user_behind_the_participant()
    {
        var byUser = Assert.Single(Map(Insert(Kick(userId: "eve"))));
        Assert.Equal(Audience.User("eve"), byUser.Audience);
        Assert.Equal(new Kicked(StageId, 0, "p-1", "spam"), byUser.Message);

        Assert.Equal(Audience.Participant("st-1", "p-1"), Assert.Single(Map(Insert(Kick()))).Audience);
        Assert.Empty(Map(Insert(Kick(sessionId: null))));
        Assert.Empty(Map(Remove(Kick(userId: "eve"))));
        Assert.Equal(0, TableChangeMapper.Map(Insert(Kick(userId: "eve")))!.VersionCount);
    }

    [Theory]
    [InlineData("STAGE#AbCdEf123456", "SESSION#st-1")]
    [InlineData("STAGE#AbCdEf123456", "SESSION#st-1#EVENT#2026")]
    [InlineData("STAGE#AbCdEf123456", "IDEMPOTENCY#key")]
    [InlineData("SUBSCRIBERS#AbCdEf123456", "CONNECTION#c1")]
    [InlineData("SUBSCRIBERS#AbCdEf123456", "VERSION")]
    [InlineData("CONNECTION#c1", "CONNECTION")]
    [InlineData("LIVEUSER#alice", "CONNECTION#c1")]
    [InlineData("RECONCILER", "CHECKPOINT")]
    [InlineData("REJECTED#2026-12-03", "EVENT#abc")]
    public void Items_clients_never_see_map_to_nothing(string pk, string sk)
    {
        var change = TableChangeMapper.Map(Insert(Item(pk, sk)));
        Assert.True(change is null || change.Deliveries.Count == 0);
    }
}
