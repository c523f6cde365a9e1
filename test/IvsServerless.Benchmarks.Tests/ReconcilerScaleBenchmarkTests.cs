using IvsServerless.Benchmarks.Reconciliation;

namespace IvsServerless.Benchmarks.Tests;

/// <summary>
/// The reconciler-scale benchmark at a tiny size, so its harness cannot rot: it really seeds, loses events, runs two
/// passes and checks them. Simulated times are reported, never asserted against a target here.
/// </summary>
public sealed class ReconcilerScaleBenchmarkTests
{
    [Fact]
    public async Task Eight_stages_with_a_fifth_of_the_events_lost_are_right_after_one_pass_and_stay_right()
    {
        var result = await ReconcilerScaleRun.RunAsync(
            new ReconcilerScaleOptions(Stages: 8, ParticipantsPerStage: 3, Publishers: 2, DropFraction: 0.2, Seed: 3),
            CancellationToken.None);

        Assert.Equal(24, result.Participants);
        Assert.Equal(16, result.PublishingParticipants);
        Assert.True(result.EventsDropped > 0, "the seed must lose some events");
        Assert.True(result.WrongBefore > 0);
        Assert.Equal(0, result.WrongAfterFirst);
        Assert.Equal(0, result.WrongAfterSteady);
        Assert.Equal(8, result.Calls(result.First, "ListParticipants"));
        Assert.Equal(8, result.Calls(result.Steady, "ListParticipants"));
        Assert.True(result.First.PublishStatesRepaired >= 1);
        Assert.Equal(0, result.Steady.PublishStatesRepaired);
        Assert.True(result.Steady.Time > TimeSpan.Zero);
    }

    [Fact]
    public async Task The_benchmark_reports_its_metrics()
    {
        var result = await new ReconcilerScaleBenchmark().RunAsync(["--stages", "4", "--drop-percent", "20"], CancellationToken.None);

        Assert.Equal("reconciler-scale", result.Name);
        Assert.Equal(4, result.Metrics["stages"]);
        Assert.Equal(0, result.Metrics["wrongAfterFirstPass"]);
        Assert.True(result.Metrics["steadyPassCallsListParticipants"] == 4);
    }
}
