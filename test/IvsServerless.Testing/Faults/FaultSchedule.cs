namespace IvsServerless.Testing.Faults;

/// <summary>What a <see cref="FaultProxy"/> does with one request.</summary>
public enum FaultKind
{
    /// <summary>Forwarded, answer passed back.</summary>
    None,

    /// <summary>Answered by the proxy with the service's throttling error; not forwarded.</summary>
    Throttle,

    /// <summary>Answered by the proxy with 500; not forwarded.</summary>
    InternalError,

    /// <summary>Answered by the proxy with 503; not forwarded.</summary>
    Unavailable,

    /// <summary>The connection is dropped before the request is forwarded: nothing reaches the service.</summary>
    DropBeforeForward,

    /// <summary>Forwarded (the service applies it), then the connection is dropped instead of answering.</summary>
    DropAfterForward,

    /// <summary>Forwarded after a bounded delay, answer passed back.</summary>
    Delay,
}

/// <summary>The chance of each fault per request (the rest pass untouched), and the longest delay.</summary>
public sealed record FaultMix(
    double Throttle = 0,
    double InternalError = 0,
    double Unavailable = 0,
    double DropBeforeForward = 0,
    double DropAfterForward = 0,
    double Delay = 0)
{
    /// <summary>The longest <see cref="FaultKind.Delay"/>; delays are uniform in [0, this].</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Every kind at once, <paramref name="each"/> per kind.</summary>
    public static FaultMix Every(double each) => new(each, each, each, each, each, each);

    internal double Total => Throttle + InternalError + Unavailable + DropBeforeForward + DropAfterForward + Delay;
}

/// <summary>
/// A window of requests (by sequence number, from 0) during which <paramref name="FailureRate"/> of them fail (throttled,
/// 503, or dropped before forwarding) whatever the mix says.
/// </summary>
public sealed record BrownOut(int FromRequest, int Requests, double FailureRate = 0.9)
{
    internal bool Covers(long sequence) => sequence >= FromRequest && sequence < FromRequest + Requests;
}

/// <summary>One decision of the schedule.</summary>
public readonly record struct Fault(FaultKind Kind, TimeSpan Delay = default, int Variant = 0);

/// <summary>
/// Decides each request's fault from the seed and the request's sequence number only, so one seed gives the same decision
/// for the n-th request however requests interleave. <see cref="Eligible"/> limits faults to some operations (the others
/// still take a sequence number). Thread-safe.
/// </summary>
public sealed class FaultSchedule(int seed, FaultMix mix, params BrownOut[] brownOuts)
{
    /// <summary>No faults: every request forwarded as is.</summary>
    public static FaultSchedule None { get; } = new(0, new FaultMix());

    private Fault? _always;

    public int Seed => seed;

    /// <summary>The same fault for every (eligible) request, for tests of one kind.</summary>
    public static FaultSchedule Always(Fault fault) => new(0, new FaultMix()) { _always = fault };

    public FaultMix Mix => mix;

    /// <summary>Operations (e.g. <c>PutItem</c>, <c>CreateStage</c>) that may be faulted; all when null.</summary>
    public Func<string, bool>? Eligible { get; init; }

    /// <summary>The decision for request number <paramref name="sequence"/> of <paramref name="operation"/>.</summary>
    public Fault Decide(long sequence, string operation)
    {
        if (Eligible is { } eligible && !eligible(operation))
        {
            return new Fault(FaultKind.None);
        }

        if (_always is { } always)
        {
            return always;
        }

        var random = new Random(HashCode.Combine(seed, sequence));
        var roll = random.NextDouble();
        var variant = random.Next(2);
        if (brownOuts.Any(b => b.Covers(sequence)))
        {
            var rate = brownOuts.First(b => b.Covers(sequence)).FailureRate;
            return roll >= rate
                ? new Fault(FaultKind.None)
                : (int)(roll / rate * 3) switch
                {
                    0 => new Fault(FaultKind.Throttle, Variant: variant),
                    1 => new Fault(FaultKind.Unavailable),
                    _ => new Fault(FaultKind.DropBeforeForward),
                };
        }

        foreach (var (kind, chance) in new[]
        {
            (FaultKind.Throttle, mix.Throttle), (FaultKind.InternalError, mix.InternalError), (FaultKind.Unavailable, mix.Unavailable),
            (FaultKind.DropBeforeForward, mix.DropBeforeForward), (FaultKind.DropAfterForward, mix.DropAfterForward),
            (FaultKind.Delay, mix.Delay),
        })
        {
            if (roll < chance)
            {
                var delay = kind == FaultKind.Delay ? TimeSpan.FromTicks((long)(mix.MaxDelay.Ticks * random.NextDouble())) : default;
                return new Fault(kind, delay, variant);
            }

            roll -= chance;
        }

        return new Fault(FaultKind.None);
    }
}
