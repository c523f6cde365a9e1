using IvsServerless.Benchmarks.Support;
using IvsServerless.Testing;

namespace IvsServerless.Benchmarks.ColdStart;

/// <summary>
/// A fresh function process serves one invocation (a viewer's token mint against the local engines): time from
/// just before the process is created until the Runtime API has read the posted response. Native AOT and JIT
/// alternate run by run so machine noise lands on both.
/// </summary>
public sealed class ColdStartBenchmark : IBenchmark
{
    public const double TargetSpeedup = 8;

    public string Name => "cold-start";

    public string Description =>
        "fresh process → one invocation posted: Native AOT bootstrap vs dotnet bootstrap.dll (--runs 20, --bootstrap PATH, --jit-dll PATH, "
        + "--skip-aot)";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new BenchmarkArgs(args);
        var runs = options.Count("runs", 20);
        var skipAot = options.Flag("skip-aot");
        var metrics = new Metrics();
        Console.WriteLine($"== {Name}: {runs} runs per variant");

        List<BootstrapVariant> variants = [BootstrapVariant.Jit(options)];
        if (!skipAot)
        {
            var native = await BootstrapVariant.NativeAsync(options, cancellationToken);
            variants.Insert(0, native);
            metrics["aot.binary_mb"] = new FileInfo(native.FileName).Length / (1024.0 * 1024.0);
        }

        await using var engines = await LocalEngines.StartAsync("coldstart");
        string stageId;
        using (var api = ApiUnderTest.OnLocalEngines(engines))
        {
            stageId = await api.CreateStageAsync("owner-1", cancellationToken);
        }

        var invocation = BootstrapVariant.Event(Requests.MintToken(stageId, "viewer-1"));
        var samples = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var errors = 0;
        // One untimed run each first: it pulls the binaries into the page cache, as a warm Lambda host would have them.
        for (var run = -1; run < runs; run++)
        {
            foreach (var variant in variants)
            {
                var (elapsed, ok) = await ServeOneAsync(variant, engines, invocation, cancellationToken);
                if (run >= 0)
                {
                    samples[variant.Name].Add(elapsed);
                    errors += ok ? 0 : 1;
                }
            }
        }

        foreach (var variant in variants)
        {
            var latencies = new Latencies(samples[variant.Name]);
            metrics[variant.Name + ".median_ms"] = latencies.Median;
            metrics[variant.Name + ".p90_ms"] = latencies.Percentile(90);
            metrics[variant.Name + ".runs"] = latencies.Count;
            Console.WriteLine(
                $"  {variant.Name,-4} median {latencies.Median,8:0.0} ms   p90 {latencies.Percentile(90),8:0.0} ms   ("
                + $"{string.Join(' ', variant.Arguments.Prepend(variant.FileName))})");
        }

        metrics["errors"] = errors;
        var met = errors == 0;
        if (!skipAot)
        {
            var speedup = metrics["jit.median_ms"] / metrics["aot.median_ms"];
            metrics["jit_over_aot_median_ratio"] = speedup;
            Console.WriteLine(
                $"  AOT is {speedup:0.0}x faster (median; target ≥ {TargetSpeedup}x); binary {metrics["aot.binary_mb"]:0.0} MB");
            met &= speedup >= TargetSpeedup;
        }
        else
        {
            metrics.Note("--skip-aot: JIT only, no ratio");
        }

        metrics.Note(
            "invocation: POST /stages/{id}/participant-tokens (DynamoDB Local read + emulator mint); init builds the DynamoDB and IVS "
            + "clients");
        Console.WriteLine($"  errors {errors}");
        return metrics.ToResult(Name, met);
    }

    private static async Task<(double Milliseconds, bool Ok)> ServeOneAsync(
        BootstrapVariant variant, LocalEngines engines, byte[] invocation, CancellationToken cancellationToken)
    {
        // A fresh Runtime API per process: a killed process's pending /next must not swallow the next run's invocation.
        await using var runtime = FakeRuntimeApi.Start();
        var requestId = runtime.Enqueue(invocation);
        using var process = variant.Start(engines.FunctionEnvironment(runtime.Address), out var started);
        try
        {
            var posted = await runtime.WaitForResultAsync(requestId).WaitAsync(cancellationToken);
            return (Latencies.Between(started, posted.ReceivedTimestamp), BootstrapVariant.StatusOf(posted) == 201);
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"  {variant.Name}: no response within {FakeRuntimeApi.WaitLimit.TotalSeconds} s");
            return (FakeRuntimeApi.WaitLimit.TotalMilliseconds, false);
        }
        finally
        {
            BootstrapVariant.Stop(process);
        }
    }
}
