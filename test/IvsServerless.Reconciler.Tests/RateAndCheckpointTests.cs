using IvsServerless.Core.Projection;
using IvsServerless.Reconciler.Tests.Fakes;

namespace IvsServerless.Reconciler.Tests;

public sealed class RateAndCheckpointTests
{
    /// <summary>50 live stages, each with a publisher that restarted, a subscribe-only viewer and one who left.</summary>
    private static Harness WithLiveStages(int count, Func<ReconcilerOptions, ReconcilerOptions>? configure = null)
    {
        var h = new Harness(configure);
        var t = Harness.T0.AddMinutes(-30);
        for (var i = 0; i < count; i++)
        {
            var session = h.AddStage($"live{i:D3}", t.AddHours(-1)).StartSession($"st-live{i:D3}", t);
            session.Join("pub", "alice", t).Publish(t.AddSeconds(1)).Unpublish(t.AddSeconds(2)).Publish(t.AddSeconds(3));
            session.Join("viewer", "bob", t);
            session.Join("gone", "carol", t).Publish(t.AddSeconds(1)).Leave(t.AddSeconds(5));
        }

        for (var i = 0; i < 20; i++)
        {
            h.AddStage($"idle{i:D3}");
            h.Ivs.AddStage($"other{i:D3}", "deployment-b");
        }

        return h;
    }

    [Fact]
    public async Task Never_more_than_five_calls_in_any_second_per_operation_over_a_run_with_50_live_stages()
    {
        var h = WithLiveStages(50);

        var report = await h.RunAsync(TimeSpan.FromMinutes(1));

        Assert.True(report.CycleCompleted);
        Assert.Equal(50, report.LiveStages);
        Assert.Equal(100, report.PublishStatesRepaired);
        foreach (var operation in h.Ivs.Calls.GroupBy(c => c.Operation))
        {
            var times = operation.Select(c => c.At).Order().ToList();
            for (var i = 0; i + 5 < times.Count; i++)
            {
                // Six calls within less than a second would be a sixth call in some one-second window.
                Assert.True(times[i + 5] - times[i] >= TimeSpan.FromSeconds(1),
                    $"{operation.Key}: calls {i}..{i + 5} within {(times[i + 5] - times[i]).TotalMilliseconds} ms");
            }
        }

        Assert.Equal(50, h.Ivs.CallsOf("ListParticipants"));
        Assert.Equal(100, h.Ivs.CallsOf("ListParticipantEvents"));
        var elapsed = h.Time.GetUtcNow() - Harness.T0;
        Console.WriteLine($"50 live stages: {h.Ivs.Calls.Count} IVS calls in {elapsed.TotalSeconds:F1} simulated s");
    }

    [Fact]
    public async Task A_run_that_runs_out_of_time_is_resumed_where_it_stopped()
    {
        var h = WithLiveStages(30, o => new ReconcilerOptions
        {
            DeploymentTag = o.DeploymentTag,
            IdleStageAfter = o.IdleStageAfter,
            StagesPageSize = 10,
            MaxRunTime = TimeSpan.FromSeconds(8),
        });

        var first = await h.RunAsync();
        var doneInFirst = h.Ivs.Calls.Where(c => c.Operation == "ListParticipants").Select(c => c.Target).ToList();
        var callsBefore = h.Ivs.Calls.Count;

        Assert.True(first.OutOfTime);
        Assert.False(first.CycleCompleted);
        Assert.InRange(doneInFirst.Count, 1, 29);
        Assert.NotNull(h.Checkpoints.Checkpoint.PageToken);
        Assert.Null(h.Checkpoints.LeaseOwner);

        var reports = new List<ReconcileReport>();
        while (reports.Count < 10 && reports.LastOrDefault()?.CycleCompleted != true)
        {
            reports.Add(await h.RunAsync());
        }

        Assert.True(reports[^1].CycleCompleted);
        var later = h.Ivs.Calls.Skip(callsBefore).Where(c => c.Operation == "ListParticipants").Select(c => c.Target).ToList();

        // Every live stage is reconciled once per cycle: the later runs do exactly the ones the first did not
        // (the stage the deadline interrupted, if any, once more).
        var all = Enumerable.Range(0, 30).Select(i => FakeIvs.ArnOf($"live{i:D3}")).ToHashSet();
        Assert.True(all.SetEquals(doneInFirst.Concat(later)));
        Assert.InRange(doneInFirst.Intersect(later).Count(), 0, 1);
        Assert.Equal(ReconcilerCheckpointStart(), h.Checkpoints.Checkpoint);
    }

    private static Core.Reconciliation.ReconcilerCheckpoint ReconcilerCheckpointStart() => Core.Reconciliation.ReconcilerCheckpoint.Start;

    [Fact]
    public async Task A_refused_page_token_starts_the_cycle_over()
    {
        var h = WithLiveStages(3);
        h.Checkpoints.Checkpoint = new Core.Reconciliation.ReconcilerCheckpoint("stale", 0, Harness.T0.AddHours(-1));
        h.Ivs.RefusedTokens.Add("stale");

        var report = await h.RunAsync();

        Assert.True(report.CycleCompleted);
        Assert.Equal(3, report.LiveStages);
    }

    [Fact]
    public async Task A_run_does_nothing_while_another_holds_the_lease()
    {
        var h = WithLiveStages(3);
        h.Checkpoints.LeaseOwner = "someone-else";
        h.Checkpoints.LeaseUntil = Harness.T0.AddSeconds(30);

        var report = await h.RunAsync();

        Assert.False(report.Ran);
        Assert.Empty(h.Ivs.Calls);
        Assert.Equal("someone-else", h.Checkpoints.LeaseOwner);
    }

    [Fact]
    public async Task Presence_and_publishing_come_from_the_api()
    {
        var h = WithLiveStages(1);

        await h.RunAsync();

        var key = (string participant) => new ParticipantKey("live000", "st-live000", participant);
        Assert.True(h.Projection.PresenceOf(key("viewer"))!.Connected);
        Assert.False(h.Projection.PresenceOf(key("viewer"))!.PublishedEver);
        Assert.True(h.Projection.PresenceOf(key("pub"))!.Connected);
        Assert.False(h.Projection.PresenceOf(key("gone"))!.Connected);
        Assert.True(h.Projection.PublishingOf(key("pub")));
        Assert.False(h.Projection.PublishingOf(key("gone")));
        Assert.Null(h.Projection.PublishingOf(key("viewer")));
        Assert.Equal("st-live000", h.Stages["live000"].ActiveSessionId);
    }
}
