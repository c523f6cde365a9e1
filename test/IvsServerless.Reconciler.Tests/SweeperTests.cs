using IvsServerless.Core.Stages;

namespace IvsServerless.Reconciler.Tests;

public sealed class SweeperTests
{
    private static readonly DateTimeOffset LongAgo = Harness.T0.AddDays(-2);

    [Fact]
    public async Task Deletes_an_idle_stage_of_this_deployment_and_marks_its_item_deleted()
    {
        var h = new Harness();
        h.AddStage("idle", LongAgo).StartSession("st-old", LongAgo).EndAt(LongAgo.AddMinutes(30));

        var report = await h.RunAsync();

        Assert.Equal(1, report.IdleStagesDeleted);
        Assert.Equal([FakeIvsArn("idle")], h.Ivs.Deleted);
        Assert.True(h.Stages["idle"].Deleted);
    }

    [Fact]
    public async Task Keeps_a_stage_created_or_used_within_the_idle_limit()
    {
        var h = new Harness();
        h.AddStage("young", Harness.T0.AddMinutes(-59));
        h.AddStage("used", LongAgo).StartSession("st-1", Harness.T0.AddMinutes(-90)).EndAt(Harness.T0.AddMinutes(-30));

        var report = await h.RunAsync();

        Assert.Equal(0, report.IdleStagesDeleted);
        Assert.Empty(h.Ivs.Deleted);
        Assert.Equal(0, h.Ivs.CallsOf("ListStageSessions") - 1); // only "used" needed a look at its sessions
    }

    [Fact]
    public async Task Never_deletes_a_stage_with_an_active_session()
    {
        var h = new Harness();
        h.AddStage("live", LongAgo).StartSession("st-live", LongAgo).Join("p", "u", LongAgo);

        await h.RunAsync();

        Assert.Empty(h.Ivs.Deleted);
        Assert.Equal(0, h.Ivs.CallsOf("DeleteStage"));
        Assert.False(h.Stages["live"].Deleted);
    }

    [Fact]
    public async Task Never_deletes_a_stage_someone_joined_after_it_was_listed()
    {
        var h = new Harness();
        var stage = h.AddStage("joined", LongAgo);
        h.Ivs.BeforeAnswer = (operation, _) =>
        {
            if (operation == "GetStage" && stage.ActiveSession is null)
            {
                stage.StartSession("st-new", Harness.T0).Join("p", "u", Harness.T0);
            }
        };

        await h.RunAsync();

        Assert.Empty(h.Ivs.Deleted);
        Assert.False(h.Stages["joined"].Deleted);
    }

    [Fact]
    public async Task Never_deletes_a_stage_without_this_deployments_tag()
    {
        var h = new Harness();
        h.Ivs.AddStage("other", "deployment-b");
        h.Ivs.AddStage("untagged", null);

        var report = await h.RunAsync();

        Assert.Equal(2, report.StagesListed);
        Assert.Equal(0, report.StagesOfThisDeployment);
        Assert.Equal(["ListStages"], h.Ivs.Calls.Select(c => c.Operation));
    }

    [Fact]
    public async Task An_orphan_is_tagged_first_and_deleted_once_it_has_been_an_orphan_past_the_limit()
    {
        var h = new Harness();
        h.AddStage("orphan", withItem: false);

        var first = await h.RunAsync();
        Assert.Equal(1, first.OrphansMarked);
        Assert.True(h.Ivs.Stage("orphan").Tags.ContainsKey(StageTags.OrphanSince));
        Assert.Empty(h.Ivs.Deleted);

        h.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(0, (await h.RunAsync()).OrphansDeleted);

        h.Time.Advance(TimeSpan.FromMinutes(31));
        var late = await h.RunAsync();
        Assert.Equal(1, late.OrphansDeleted);
        Assert.Equal([FakeIvsArn("orphan")], h.Ivs.Deleted);
    }

    [Fact]
    public async Task A_live_orphan_is_left_alone()
    {
        var h = new Harness();
        var stage = h.AddStage("orphan", withItem: false);
        stage.Tags[StageTags.OrphanSince] = "2020-01-01T00:00:00Z";
        stage.StartSession("st-1", LongAgo).Join("p", "u", LongAgo);

        await h.RunAsync();

        Assert.Equal(["ListStages"], h.Ivs.Calls.Select(c => c.Operation));
    }

    private static string FakeIvsArn(string stageId) => Fakes.FakeIvs.ArnOf(stageId);
}
