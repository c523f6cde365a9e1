using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Reconciler.Tests;

/// <summary>The per-operation token bucket: slots are taken at call time, so callers that wake late never bunch.</summary>
public sealed class RateLimiterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly FakeTimeProvider _time = new(Harness.T0);

    [Fact]
    public void Calls_of_one_operation_are_one_interval_apart_and_operations_do_not_share_slots()
    {
        var limiter = new RateLimiter(_time, callsPerSecond: 5);

        Assert.Equal(TimeSpan.Zero, limiter.TryTake("ListParticipants"));
        Assert.Equal(Interval, limiter.TryTake("ListParticipants"));
        Assert.Equal(TimeSpan.Zero, limiter.TryTake("GetStage"));

        _time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(TimeSpan.FromMilliseconds(50), limiter.TryTake("ListParticipants"));
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.Zero, limiter.TryTake("ListParticipants"));
    }

    [Fact]
    public void Callers_that_wake_late_together_still_go_one_interval_apart()
    {
        var limiter = new RateLimiter(_time, callsPerSecond: 5);
        Assert.Equal(TimeSpan.Zero, limiter.TryTake("ListParticipantEvents"));

        // Four waiters were told "in 200 ms"; all wake only a second later (a pause): one may call, the rest wait again.
        var waits = Enumerable.Range(0, 4).Select(_ => limiter.TryTake("ListParticipantEvents")).ToList();
        Assert.All(waits, wait => Assert.Equal(Interval, wait));
        _time.Advance(TimeSpan.FromSeconds(1));

        var taken = new List<DateTimeOffset>();
        for (var rounds = 0; taken.Count < 4 && rounds < 10; rounds++)
        {
            var waitsOfPending = Enumerable.Range(0, 4 - taken.Count).Select(_ => limiter.TryTake("ListParticipantEvents")).ToList();
            taken.AddRange(waitsOfPending.Where(wait => wait == TimeSpan.Zero).Select(_ => _time.GetUtcNow()));
            Assert.InRange(waitsOfPending.Count(wait => wait == TimeSpan.Zero), 0, 1);
            if (taken.Count < 4)
            {
                _time.Advance(waitsOfPending.Where(wait => wait > TimeSpan.Zero).Min());
            }
        }

        Assert.Equal(4, taken.Count);
        Assert.All(taken.Zip(taken.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Interval, $"{pair.First:O} {pair.Second:O}"));
    }

    [Fact]
    public void A_burst_allows_that_many_calls_at_once_then_one_per_interval()
    {
        var limiter = new RateLimiter(_time, callsPerSecond: 5, burst: 3);

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], Enumerable.Range(0, 3).Select(_ => limiter.TryTake("ListStages")));
        Assert.Equal(Interval, limiter.TryTake("ListStages"));
    }

    [Fact]
    public async Task A_cancelled_wait_takes_no_slot()
    {
        var limiter = new RateLimiter(_time, callsPerSecond: 5);
        Assert.Equal(TimeSpan.Zero, limiter.TryTake("DeleteStage"));
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.WaitAsync("DeleteStage", cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        _time.Advance(Interval);
        Assert.Equal(TimeSpan.Zero, limiter.TryTake("DeleteStage"));
    }
}
