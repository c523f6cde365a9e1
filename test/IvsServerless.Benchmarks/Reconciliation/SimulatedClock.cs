using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Benchmarks.Reconciliation;

/// <summary>
/// A clock that moves only when told, and knows when the code under test waits on it: a timer of at most
/// <see cref="MaxWait"/> (the reconciler's token buckets wait at most 1/rate) is a wait. The driver moves the clock to the
/// earliest pending wait whenever the code is blocked on one, so simulated time is the sum of the quota waits, and the
/// work in between (HTTP to the emulator, in-memory stores) takes no simulated time. While any work is marked
/// <see cref="Busy"/> (a call to the emulator in flight), the clock stands still even if other tasks wait on it: with
/// several tasks at once, moving on would charge the emulator's real time to the simulated run.
/// </summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _inner = new(start);
    private readonly ConcurrentDictionary<object, DateTimeOffset> _waits = new();
    private int _busy;
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    /// <summary>Marks work that takes no simulated time; the clock does not move until it is disposed.</summary>
    public IDisposable Busy()
    {
        Interlocked.Increment(ref _busy);
        return new BusyMark(this);
    }

    /// <summary>
    /// Runs <paramref name="work"/> to its end, moving the clock to each wait it blocks on, only when nothing is marked
    /// busy, so the clock never runs ahead of a call it cannot see.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        while (!work.IsCompleted)
        {
            var idle = _idle.Task;
            if (Volatile.Read(ref _busy) > 0)
            {
                await Task.WhenAny(work, idle, Task.Delay(100));
                continue;
            }

            if (_waits.IsEmpty)
            {
                await Task.WhenAny(work, Task.Delay(1));
                continue;
            }

            // A wait noted while the clock moved (another task created its timer then) may lie a little before its timer's
            // real due time: step a millisecond past it rather than stand still.
            var next = _waits.Values.Min();
            AdvanceTo(next > GetUtcNow() ? next : GetUtcNow() + TimeSpan.FromMilliseconds(1));

            // The tasks the move woke start their next step (and mark it busy) before the clock is looked at again.
            for (var i = 0; i < 4; i++)
            {
                await Task.Yield();
            }
        }

        return await work;
    }

    private void Released()
    {
        if (Interlocked.Decrement(ref _busy) == 0)
        {
            Interlocked.Exchange(ref _idle, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private sealed class BusyMark(SimulatedClock clock) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                clock.Released();
            }
        }
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
