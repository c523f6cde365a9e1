using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using IvsServerless.Benchmarks.Support;

namespace IvsServerless.Benchmarks.HandlerOverhead;

/// <summary>
/// BenchmarkDotNet where it fits: the handler's own cost per request on in-memory fakes (mean and bytes allocated),
/// a pure in-process micro-benchmark. Runs in this process (in-process toolchain) so <c>all</c> stays one run.
/// </summary>
public sealed class HandlerOverheadBenchmark : IBenchmark
{
    public string Name => "handler-overhead";

    public string Description =>
        "BenchmarkDotNet: handler mean time and bytes allocated per request on in-memory fakes (--bdn-job short|dry)";

    public Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new BenchmarkArgs(args);
        var dry = options.Text("bdn-job") == "dry";
        Console.WriteLine($"== {Name}: BenchmarkDotNet {(dry ? "Dry" : "ShortRun")} job, in-process");
        var config = ManualConfig.CreateEmpty()
            .AddJob((dry ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(NullLogger.Instance)
            // The summary records the build configuration, and Program warns on Debug; the smoke test runs Debug.
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "ivs-serverless-benchmarkdotnet"));
        var summary = BenchmarkRunner.Run<HandlerOverheadCases>(config);

        var metrics = new Metrics();
        var errors = 0;
        foreach (var report in summary.Reports)
        {
            var name = ToSnakeCase(report.BenchmarkCase.Descriptor.WorkloadMethod.Name);
            if (!report.Success || report.ResultStatistics is not { } statistics)
            {
                errors++;
                Console.WriteLine($"  {name}: BenchmarkDotNet reported no result");
                continue;
            }

            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
            metrics[name + ".mean_us"] = statistics.Mean / 1000;
            metrics[name + ".stddev_us"] = statistics.StandardDeviation / 1000;
            metrics[name + ".allocated_bytes"] = allocated;
            Console.WriteLine(
                $"  {name,-13} mean {statistics.Mean / 1000,8:0.00} µs ± {statistics.StandardDeviation / 1000,6:0.00}   allocated "
                + $"{allocated,7} B/op");
        }

        var critical = summary.ValidationErrors.Where(e => e.IsCritical).ToList();
        metrics["errors"] = errors + critical.Count;
        foreach (var error in critical)
        {
            Console.WriteLine("  BenchmarkDotNet: " + error.Message);
        }

        metrics.Note("event bytes in, response bytes out; stores and IVS client in memory (no network, no token signing)");
        return Task.FromResult(metrics.ToResult(Name, metrics["errors"] == 0));
    }

    private static string ToSnakeCase(string pascal) =>
        string.Concat(
            pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
