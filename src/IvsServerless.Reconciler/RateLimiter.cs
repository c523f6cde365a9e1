namespace IvsServerless.Reconciler;

/// <summary>
/// A token bucket per IVS operation (IVS meters each operation separately, 5 TPS for most). Implemented as GCRA
/// (the "virtual scheduling" form of a token bucket) on integer ticks of a <see cref="TimeProvider"/>, so it is exact
/// under a FakeTimeProvider. With the default burst of 1, calls of one operation are at least 1/rate apart, which also
/// guarantees at most <c>rate</c> calls in ANY one-second window; a larger burst would allow up to rate + burst - 1.
/// </summary>
/// <remarks>
/// A slot is taken only by a caller that is about to call, never reserved ahead for one that sleeps: with several
/// workers, a worker that wakes late for a reserved slot would send after workers holding later slots, and the calls
/// IVS sees would bunch closer than the rate allows.
/// </remarks>
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
    /// deadline) throws <see cref="OperationCanceledException"/> and takes nothing.
    /// </summary>
    public async Task WaitAsync(string operation, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var wait = TryTake(operation);
            if (wait == TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the operation's slot if one is open now and returns zero; otherwise takes nothing and returns how long
    /// until the next opens (another caller may take it first).
    /// </summary>
    public TimeSpan TryTake(string operation)
    {
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            var arrival = _theoreticalArrival.GetValueOrDefault(operation, now);
            var start = Math.Max(now, arrival - _burstTicks);
            if (start > now)
            {
                return TimeSpan.FromTicks(start - now);
            }

            _theoreticalArrival[operation] = Math.Max(arrival, now) + _intervalTicks;
            return TimeSpan.Zero;
        }
    }
}
