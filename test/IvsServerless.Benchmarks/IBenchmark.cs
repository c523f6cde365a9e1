namespace IvsServerless.Benchmarks;

/// <summary>One runnable benchmark: <c>dotnet run -c Release --project test/IvsServerless.Benchmarks -- &lt;name&gt;
/// [options]</c>.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    /// <summary>Runs, prints human-readable numbers to stdout, and returns a JSON-serializable summary object.</summary>
    Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}

/// <summary>What a benchmark measured, keyed by metric name, plus whether its targets were met.</summary>
public sealed record BenchmarkResult(
    string Name, IReadOnlyDictionary<string, double> Metrics, bool TargetsMet, IReadOnlyList<string> Notes);
