namespace IvsServerless.Benchmarks.Support;

/// <summary>Collects a benchmark's metrics (rounded for a readable summary) and the notes explaining them.</summary>
public sealed class Metrics
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];

    public double this[string name]
    {
        get => _values[name];
        set => _values[name] = Math.Round(value, 3);
    }

    public void Add(string prefix, Latencies latencies)
    {
        this[prefix + ".p50_ms"] = latencies.Median;
        this[prefix + ".p90_ms"] = latencies.Percentile(90);
        this[prefix + ".p99_ms"] = latencies.Percentile(99);
        this[prefix + ".mean_ms"] = latencies.Mean;
        this[prefix + ".max_ms"] = latencies.Max;
        this[prefix + ".count"] = latencies.Count;
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine("  note: " + note);
    }

    public BenchmarkResult ToResult(string name, bool targetsMet) =>
        new(name, new Dictionary<string, double>(_values), targetsMet, [.. _notes]);
}
