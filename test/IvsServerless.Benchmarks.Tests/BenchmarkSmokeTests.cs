using IvsServerless.Benchmarks;
using IvsServerless.Benchmarks.ColdStart;
using IvsServerless.Benchmarks.HandlerOverhead;
using IvsServerless.Benchmarks.Memory;
using IvsServerless.Benchmarks.Throughput;
using IvsServerless.Benchmarks.WarmLatency;

namespace IvsServerless.Benchmarks.Tests;

/// <summary>
/// Every benchmark end to end with tiny counts, so the harness cannot rot. Timings are never asserted; what must
/// hold is that each one really served its requests (zero errors) and reported its metrics. The Native AOT parts
/// run only when BOOTSTRAP_EXECUTABLE points at a published bootstrap (publishing takes ~80 s); otherwise the
/// process benchmarks run the JIT bootstrap.dll alone.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly string? NativeBootstrap = Environment.GetEnvironmentVariable("BOOTSTRAP_EXECUTABLE");

    private static string[] ProcessArgs(params string[] args) =>
        NativeBootstrap is null ? [.. args, "--skip-aot"] : [.. args, "--bootstrap", NativeBootstrap];

    [Fact]
    public async Task Cold_start_serves_one_invocation_per_fresh_process()
    {
        var result = await new ColdStartBenchmark().RunAsync(ProcessArgs("--runs", "1"), CancellationToken.None);

        AssertServed(result);
        Assert.Equal(1, result.Metrics["jit.runs"]);
        Assert.True(result.Metrics["jit.median_ms"] > 0);
        if (NativeBootstrap is not null)
        {
            Assert.Equal(1, result.Metrics["aot.runs"]);
            Assert.True(result.Metrics.ContainsKey("jit_over_aot_median_ratio"));
        }
    }

    [Fact]
    public async Task Warm_latency_measures_every_operation_on_both_wirings()
    {
        var result = await new WarmLatencyBenchmark().RunAsync(["--requests", "3", "--warmup", "1"], CancellationToken.None);

        AssertServed(result);
        foreach (var kind in new[] { "local-engines", "in-memory" })
        {
            foreach (var operation in new[] { "mint_token", "get_stage", "create_stage" })
            {
                Assert.Equal(3, result.Metrics[$"{kind}.{operation}.count"]);
            }
        }
    }

    [Fact]
    public async Task Handler_overhead_gets_a_result_for_every_case_from_BenchmarkDotNet()
    {
        var result = await new HandlerOverheadBenchmark().RunAsync(["--bdn-job", "dry"], CancellationToken.None);

        AssertServed(result);
        foreach (var operation in new[] { "mint_token", "get_stage", "create_stage" })
        {
            Assert.True(result.Metrics[$"{operation}.allocated_bytes"] > 0);
        }
    }

    [Fact]
    public async Task Throughput_runs_each_concurrency_level()
    {
        var result = await new ThroughputBenchmark().RunAsync(
            ["--throughput-requests", "8", "--concurrency", "1,4"], CancellationToken.None);

        AssertServed(result);
        Assert.Equal(0, result.Metrics["c1.errors"]);
        Assert.Equal(0, result.Metrics["c4.errors"]);
        Assert.True(result.Metrics["c4.requests_per_s"] > 0);
    }

    [Fact]
    public async Task Memory_reads_the_peak_resident_set_after_serving_every_invocation()
    {
        var result = await new MemoryBenchmark().RunAsync(ProcessArgs("--invocations", "6"), CancellationToken.None);

        AssertServed(result);
        Assert.Equal(6, result.Metrics["invocations"]);
        Assert.True(result.Metrics["jit.peak_rss_mb"] >= result.Metrics["jit.rss_after_first_invocation_mb"]);
        if (NativeBootstrap is not null)
        {
            Assert.True(result.Metrics["aot.peak_rss_mb"] >= result.Metrics["aot.rss_after_first_invocation_mb"]);
        }
    }

    private static void AssertServed(BenchmarkResult result) =>
        Assert.True(
            result.Metrics["errors"] == 0, $"{result.Name} had {result.Metrics["errors"]} errors: {string.Join("; ", result.Notes)}");
}
