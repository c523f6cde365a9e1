using IvsServerless.Core.Reconciliation;

namespace IvsServerless.Reconciler.Tests;

/// <summary>The checkpoint of a pass whose stages finish out of order (several workers).</summary>
public sealed class PassProgressTests
{
    private static readonly DateTimeOffset Cycle = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_position_is_the_first_stage_handed_out_and_not_finished()
    {
        var progress = new PassProgress(new ReconcilerCheckpoint(null, 0, Cycle));
        var a = progress.Issue(null, 0);
        var b = progress.Issue(null, 1);
        var c = progress.Issue(null, 2);

        Assert.False(progress.Finish(c));
        Assert.False(progress.Finish(b));
        Assert.Equal(new ReconcilerCheckpoint(null, 0, Cycle), progress.Position);

        Assert.False(progress.Finish(a));
        Assert.Equal(new ReconcilerCheckpoint(null, 3, Cycle), progress.Position);
        Assert.False(progress.CycleCompleted);
    }

    [Fact]
    public void Finishing_a_page_moves_the_position_to_the_next_page_once_and_the_end_of_the_list_completes_the_cycle()
    {
        var progress = new PassProgress(new ReconcilerCheckpoint(null, 0, Cycle));
        var first = progress.Issue(null, 0);
        progress.PageIssued("page-2");
        var second = progress.Issue("page-2", 0);
        progress.PageIssued(null);

        Assert.True(progress.Finish(first));
        Assert.Equal(new ReconcilerCheckpoint("page-2", 0, Cycle), progress.Position);
        Assert.False(progress.CycleCompleted);

        Assert.False(progress.Finish(second));
        Assert.True(progress.CycleCompleted);
        Assert.Equal(ReconcilerCheckpoint.Start, progress.Position);
    }

    [Fact]
    public void With_every_stage_handed_out_finished_the_position_is_where_listing_goes_on()
    {
        var progress = new PassProgress(new ReconcilerCheckpoint("page-3", 5, Cycle));
        Assert.Equal(new ReconcilerCheckpoint("page-3", 5, Cycle), progress.Position);

        progress.Finish(progress.Issue("page-3", 5));

        Assert.Equal(new ReconcilerCheckpoint("page-3", 6, Cycle), progress.Position);
        progress.Restart(Cycle.AddHours(1));
        Assert.Equal(new ReconcilerCheckpoint(null, 0, Cycle.AddHours(1)), progress.Position);
    }
}
