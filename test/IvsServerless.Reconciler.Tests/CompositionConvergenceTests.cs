using IvsServerless.Core.Compositions;

namespace IvsServerless.Reconciler.Tests;

/// <summary>Compositions the events left STARTING or STOPPING take the state IVS reports once the grace period is over.</summary>
public sealed class CompositionConvergenceTests
{
    private static readonly DateTimeOffset LongAgo = Harness.T0.AddDays(-1);

    [Fact]
    public async Task A_run_stores_what_IVS_reports_for_unsettled_compositions_and_leaves_the_rest_alone()
    {
        var h = new Harness();
        h.AddStage("stage", LongAgo);
        await Add(h, "stuck-starting", "STARTING", LongAgo);
        await Add(h, "stopped-before-start", "STOPPING", LongAgo);
        await Add(h, "young", "STARTING", Harness.T0.AddMinutes(-1));
        await Add(h, "settled", "ACTIVE", LongAgo);
        await Add(h, "in-step", "STARTING", LongAgo);
        h.Ivs.CompositionStates[ArnOf("stuck-starting")] = "ACTIVE";
        h.Ivs.CompositionStates[ArnOf("in-step")] = "STARTING";

        var report = await h.RunAsync();

        Assert.Equal((3, 2), (report.CompositionsChecked, report.CompositionsRepaired));
        Assert.Equal("ACTIVE", State(h, "stuck-starting").State);
        var stopped = State(h, "stopped-before-start");
        Assert.Equal(("STOPPED", true), (stopped.State, stopped.EndedAt is not null));
        Assert.Equal("STARTING", State(h, "young").State);
        Assert.Equal("ACTIVE", State(h, "settled").State);
        Assert.Equal(3, h.Ivs.CallsOf("GetComposition"));
    }

    private static string ArnOf(string id) => $"arn:aws:ivs:us-east-1:123456789012:composition/{id}";

    private static Task Add(Harness h, string id, string state, DateTimeOffset startedAt) =>
        h.Compositions.AddAsync(new Composition(ArnOf(id), "stage", "owner", "key-" + id, state, startedAt), CancellationToken.None);

    private static Composition State(Harness h, string id) => h.Compositions.All.Single(c => c.CompositionId == id);
}
