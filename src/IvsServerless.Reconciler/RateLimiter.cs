namespace IvsServerless.Reconciler;

/// <summary>
/// A token bucket per IVS operation (IVS meters each operation separately, 5 TPS for most). Implemented as GCRA
/// (the "virtual scheduling" form of a token bucket) on integer ticks of a <see cref="TimeProvider"/>, so it is exact
/// under a FakeTimeProvider. With the default burst of 1, calls of one operation are at least 1/rate apart, which also
/// guarantees at most <c>rate</c> calls in ANY one-second window; a larger burst would allow up to rate + burst - 1.
/// </summary>
public sealed class RateLimiter
{
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly long _burstTicks;
    private readonly Dictionary<string, long> _theoreticalArrival = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RateLimiter(TimeProvider time, int callsPerSecond, int burst = 1)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(callsPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _time = time;
        _intervalTicks = TimeSpan.TicksPerSecond / callsPerSecond;
        _burstTicks = (burst - 1) * _intervalTicks;
    }

    /// <summary>
    /// Waits until <paramref name="operation"/> may be called, and takes that slot. Cancelling (e.g. at the run's
    /// deadline) throws <see cref="OperationCanceledException"/>; the slot stays taken, which only errs on the slow side.
    /// </summary>
    public async Task WaitAsync(string operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var wait = Reserve(operation);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Takes the next slot of the operation and returns how long until it starts (zero = now).</summary>
    public TimeSpan Reserve(string operation)
    {
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            var arrival = _theoreticalArrival.GetValueOrDefault(operation, now);
            var start = Math.Max(now, arrival - _burstTicks);
            _theoreticalArrival[operation] = Math.Max(arrival, start) + _intervalTicks;
            return TimeSpan.FromTicks(start - now);
        }
    }
}
