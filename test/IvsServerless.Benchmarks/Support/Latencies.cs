namespace IvsServerless.Benchmarks.Support;

/// <summary>Percentiles of a set of measured durations, by the nearest-rank method (every value is one that was measured).</summary>
public sealed class Latencies
{
    private readonly double[] _sorted;

    public Latencies(IEnumerable<double> milliseconds)
    {
        _sorted = [.. milliseconds];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double Median => Percentile(50);

    public double Mean => _sorted.Length == 0 ? double.NaN : _sorted.Average();

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>The smallest value with at least <paramref name="percent"/>% of the values at or below it.</summary>
    public double Percentile(double percent)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Max(rank, 1) - 1];
    }

    /// <summary>Elapsed milliseconds between two <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> values.</summary>
    public static double Between(long start, long end) => (end - start) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
