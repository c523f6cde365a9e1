using System.Diagnostics;
using System.Globalization;
using IvsServerless.Benchmarks.Support;
using IvsServerless.Testing;

namespace IvsServerless.Benchmarks.Memory;

/// <summary>
/// One function process serves N invocations through the Runtime API, alternating a viewer's token mint and a
/// get stage against the local engines; then its peak resident set (VmHWM in /proc/PID/status) is read.
/// </summary>
public sealed class MemoryBenchmark : IBenchmark
{
    public const double TargetPeakMegabytes = 64;

    public string Name => "memory";

    public string Description => "peak RSS (VmHWM) of the AOT bootstrap after serving N invocations (--invocations 10000, --bootstrap PATH, --skip-aot measures the JIT process instead)";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new BenchmarkArgs(args);
        var invocations = options.Count("invocations", 10_000);
        var skipAot = options.Flag("skip-aot");
        var metrics = new Metrics();
        var variant = skipAot ? BootstrapVariant.Jit(options) : await BootstrapVariant.NativeAsync(options, cancellationToken);
        Console.WriteLine($"== {Name}: {variant.Name} bootstrap serving {invocations} invocations");

        await using var engines = await LocalEngines.StartAsync("memory");
        string stageId;
        using (var api = ApiUnderTest.OnLocalEngines(engines))
        {
            stageId = await api.CreateStageAsync("owner-1", cancellationToken);
        }

        var events = new[]
        {
            (Expected: 201, Payload: BootstrapVariant.Event(Requests.MintToken(stageId, "viewer-1"))),
            (Expected: 200, Payload: BootstrapVariant.Event(Requests.GetStage(stageId, "viewer-1"))),
        };

        await using var runtime = FakeRuntimeApi.Start();
        using var process = variant.Start(engines.FunctionEnvironment(runtime.Address), out _);
        var errors = 0;
        try
        {
            async Task ServeAsync(int from, int to)
            {
                // Queued ahead so the function never waits on the harness; answers are checked in order.
                var queued = Enumerable.Range(from, to - from).Select(i => (events[i % 2].Expected, Id: runtime.Enqueue(events[i % 2].Payload))).ToList();
                foreach (var (expected, id) in queued)
                {
                    var posted = await runtime.WaitForResultAsync(id).WaitAsync(cancellationToken);
                    errors += BootstrapVariant.StatusOf(posted) == expected ? 0 : 1;
                }
            }

            await ServeAsync(0, 1);
            metrics["rss_after_first_invocation_mb"] = ReadStatusMegabytes(process.Id, "VmRSS");
            var clock = Stopwatch.StartNew();
            await ServeAsync(1, invocations);
            metrics["invocations_per_s"] = (invocations - 1) / clock.Elapsed.TotalSeconds;
            metrics["peak_rss_mb"] = ReadStatusMegabytes(process.Id, "VmHWM");
            metrics["rss_at_end_mb"] = ReadStatusMegabytes(process.Id, "VmRSS");
        }
        finally
        {
            BootstrapVariant.Stop(process);
        }

        metrics["invocations"] = invocations;
        metrics["errors"] = errors;
        var peak = metrics["peak_rss_mb"];
        Console.WriteLine($"  peak RSS {peak:0.0} MB (target ≤ {TargetPeakMegabytes} MB for AOT); after the first invocation {metrics["rss_after_first_invocation_mb"]:0.0} MB; {metrics["invocations_per_s"]:0} invocations/s; errors {errors}");
        if (skipAot)
        {
            metrics.Note("--skip-aot: measured the JIT process (dotnet bootstrap.dll); the 64 MB target applies to AOT only");
        }

        metrics.Note("invocations alternate POST /stages/{id}/participant-tokens and GET /stages/{id} against the local engines");
        return metrics.ToResult(Name, errors == 0 && (skipAot || peak <= TargetPeakMegabytes));
    }

    /// <summary>A "Name:   N kB" line of /proc/PID/status, in MiB.</summary>
    private static double ReadStatusMegabytes(int processId, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kilobytes = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no {field} line.");
    }
}
