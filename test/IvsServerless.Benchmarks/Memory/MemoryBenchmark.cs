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

    public string Description =>
        "peak RSS (VmHWM) after serving N invocations: AOT bootstrap (target) and JIT side by side (--invocations 10000, --bootstrap PATH, "
        + "--skip-aot)";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new BenchmarkArgs(args);
        var invocations = options.Count("invocations", 10_000);
        var skipAot = options.Flag("skip-aot");
        var metrics = new Metrics();
        List<BootstrapVariant> variants = [BootstrapVariant.Jit(options)];
        if (!skipAot)
        {
            variants.Insert(0, await BootstrapVariant.NativeAsync(options, cancellationToken));
        }

        Console.WriteLine(
            $"== {Name}: {string.Join(" and ", variants.Select(v => v.Name))} bootstrap serving {invocations} invocations each");
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

        var errors = 0;
        foreach (var variant in variants)
        {
            errors += await ServeAsync(variant, engines, events, invocations, metrics, cancellationToken);
            Console.WriteLine(
                $"  {variant.Name,-4} peak RSS {metrics[variant.Name + ".peak_rss_mb"],6:0.0} MB   after the first invocation "
                + $"{metrics[variant.Name + ".rss_after_first_invocation_mb"],6:0.0} MB   "
                + $"{metrics[variant.Name + ".invocations_per_s"],5:0} invocations/s");
        }

        metrics["invocations"] = invocations;
        metrics["errors"] = errors;
        var met = errors == 0;
        if (skipAot)
        {
            metrics.Note("--skip-aot: JIT process only; the 64 MB target applies to the AOT bootstrap");
        }
        else
        {
            met &= metrics["aot.peak_rss_mb"] <= TargetPeakMegabytes;
            Console.WriteLine($"  AOT peak RSS target ≤ {TargetPeakMegabytes} MB");
        }

        Console.WriteLine($"  errors {errors}");
        metrics.Note(
            "invocations alternate POST /stages/{id}/participant-tokens and GET /stages/{id} against the local engines; RSS from "
            + "/proc/PID/status");
        return metrics.ToResult(Name, met);
    }

    private static async Task<int> ServeAsync(
        BootstrapVariant variant, LocalEngines engines, (int Expected, byte[] Payload)[] events, int invocations, Metrics metrics,
            CancellationToken cancellationToken)
    {
        await using var runtime = FakeRuntimeApi.Start();
        using var process = variant.Start(engines.FunctionEnvironment(runtime.Address), out _);
        var errors = 0;
        try
        {
            async Task ServeRangeAsync(int from, int to)
            {
                // Queued ahead so the function never waits on the harness; answers are checked in order.
                var queued = Enumerable.Range(from, to - from).Select(
                    i => (events[i % 2].Expected, Id: runtime.Enqueue(events[i % 2].Payload))).ToList();
                foreach (var (expected, id) in queued)
                {
                    var posted = await runtime.WaitForResultAsync(id).WaitAsync(cancellationToken);
                    errors += BootstrapVariant.StatusOf(posted) == expected ? 0 : 1;
                }
            }

            await ServeRangeAsync(0, 1);
            metrics[variant.Name + ".rss_after_first_invocation_mb"] = ReadStatusMegabytes(process.Id, "VmRSS");
            var clock = Stopwatch.StartNew();
            await ServeRangeAsync(1, invocations);
            metrics[variant.Name + ".invocations_per_s"] = (invocations - 1) / clock.Elapsed.TotalSeconds;
            metrics[variant.Name + ".peak_rss_mb"] = ReadStatusMegabytes(process.Id, "VmHWM");
            metrics[variant.Name + ".rss_at_end_mb"] = ReadStatusMegabytes(process.Id, "VmRSS");
        }
        finally
        {
            BootstrapVariant.Stop(process);
        }

        return errors;
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
