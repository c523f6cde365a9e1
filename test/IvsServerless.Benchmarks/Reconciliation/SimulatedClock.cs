using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Benchmarks.Reconciliation;

/// <summary>
/// A clock that moves only when told, and knows when the code under test waits on it: a timer of at most
/// <see cref="MaxWait"/> (the reconciler's token buckets wait at most 1/rate) is a wait. The driver moves the clock to the
/// earliest pending wait whenever the code is blocked on one, so simulated time is the sum of the quota waits, and the
/// work in between (HTTP to the emulator, in-memory stores) takes no simulated time.
/// </summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _inner = new(start);
    private readonly ConcurrentDictionary<object, DateTimeOffset> _waits = new();

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public void AdvanceTo(DateTimeOffset when)
    {
        if (when > GetUtcNow())
        {
            _inner.Advance(when - GetUtcNow());
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime <= TimeSpan.Zero || dueTime > MaxWait || period != Timeout.InfiniteTimeSpan)
        {
            return _inner.CreateTimer(callback, state, dueTime, period);
        }

        var key = new object();
        _waits[key] = GetUtcNow() + dueTime;
        var timer = _inner.CreateTimer(s =>
        {
            _waits.TryRemove(key, out _);
            callback(s);
        }, state, dueTime, period);
        return new TrackedTimer(timer, () => _waits.TryRemove(key, out _));
    }

    /// <summary>Runs <paramref name="work"/> to its end, moving the clock to each wait it blocks on.</summary>
    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        while (!work.IsCompleted)
        {
            if (_waits.IsEmpty)
            {
                await Task.WhenAny(work, Task.Delay(1));
                continue;
            }

            AdvanceTo(_waits.Values.Min());
            await Task.Yield();
        }

        return await work;
    }

    private sealed class TrackedTimer(ITimer inner, Action forget) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            forget();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            forget();
            return inner.DisposeAsync();
        }
    }
}
