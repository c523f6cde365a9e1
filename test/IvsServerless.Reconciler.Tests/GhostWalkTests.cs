using IvsServerless.Reconciler.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Reconciler.Tests;

/// <summary>The walk from stage records to IVS: records whose IVS stage is gone are marked deleted, nothing else is touched.</summary>
public sealed class GhostWalkTests
{
    private static readonly DateTimeOffset LongAgo = Harness.T0.AddDays(-2);

    [Fact]
    public async Task A_record_whose_IVS_stage_is_gone_is_marked_deleted_once_its_slice_comes_round()
    {
        var h = new Harness();
        h.AddStage("ghost", LongAgo);
        h.AddStage("alive", LongAgo);
        h.Ivs.Stages.Remove(h.Ivs.Stage("ghost"));
        var walk = new GhostStageWalk(h.Stages, h.Stages, h.Options, AtSliceOf("ghost"));

        var (checkedCount, marked) = await walk.RunAsync(h.Ivs, CancellationToken.None);

        Assert.Equal(1, marked);
        Assert.True(h.Stages["ghost"].Deleted);
        Assert.Equal(2, h.Stages["ghost"].Version);
        Assert.False(h.Stages["alive"].Deleted);
        Assert.Equal(SameSlice("alive", "ghost") ? 2 : 1, checkedCount);
        Assert.Empty(h.Ivs.Deleted);
    }

    [Fact]
    public async Task A_young_record_is_left_alone_as_its_create_may_still_be_in_flight()
    {
        var h = new Harness();
        var time = AtSliceOf("young");
        h.AddStage("young", time.GetUtcNow().AddMinutes(-1));
        h.Ivs.Stages.Remove(h.Ivs.Stage("young"));

        var (checkedCount, marked) = await new GhostStageWalk(h.Stages, h.Stages, h.Options, time).RunAsync(h.Ivs, CancellationToken.None);

        Assert.Equal((0, 0), (checkedCount, marked));
        Assert.False(h.Stages["young"].Deleted);
        Assert.Equal(0, h.Ivs.CallsOf("GetStage"));
    }

    [Fact]
    public async Task Every_record_is_visited_within_one_round_of_slices()
    {
        var h = new Harness();
        var ids = Enumerable.Range(0, 40).Select(i => $"stage-{i}").ToList();
        foreach (var id in ids)
        {
            h.AddStage(id, LongAgo);
            h.Ivs.Stages.Remove(h.Ivs.Stage(id));
        }

        var time = new FakeTimeProvider(Harness.T0);
        var walk = new GhostStageWalk(h.Stages, h.Stages, h.Options, time);
        var marked = 0;
        for (var run = 0; run < GhostStageWalk.Slices; run++)
        {
            marked += (await walk.RunAsync(h.Ivs, CancellationToken.None)).Marked;
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(ids.Count, marked);
        Assert.All(ids, id => Assert.True(h.Stages[id].Deleted));
    }

    [Fact]
    public async Task The_reconciler_reports_the_walk()
    {
        var h = new Harness();
        h.AddStage("ghost", LongAgo);
        h.Ivs.Stages.Remove(h.Ivs.Stage("ghost"));
        while (MinuteSlice(h.Time.GetUtcNow()) != InMemoryStageStore.SliceOf("ghost", GhostStageWalk.Slices))
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var report = await h.RunAsync();

        Assert.Equal((1, 1), (report.RecordsChecked, report.GhostRecordsMarked));
        Assert.True(h.Stages["ghost"].Deleted);
    }

    private static bool SameSlice(string a, string b) =>
        InMemoryStageStore.SliceOf(a, GhostStageWalk.Slices) == InMemoryStageStore.SliceOf(b, GhostStageWalk.Slices);

    private static int MinuteSlice(DateTimeOffset at) => (int)(at.ToUnixTimeSeconds() / 60 % GhostStageWalk.Slices);

    private static FakeTimeProvider AtSliceOf(string stageId)
    {
        var time = new FakeTimeProvider(Harness.T0);
        while (MinuteSlice(time.GetUtcNow()) != InMemoryStageStore.SliceOf(stageId, GhostStageWalk.Slices))
        {
            time.Advance(TimeSpan.FromMinutes(1));
        }

        return time;
    }
}
