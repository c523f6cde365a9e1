using System.Diagnostics;
using IvsServerless.Benchmarks.Support;

namespace IvsServerless.Benchmarks.Throughput;

/// <summary>
/// Token mints through the HTTP API handler against the local engines with N concurrent callers, each sending
/// its next request as soon as the previous one is answered, until a fixed number of requests is done.
/// </summary>
public sealed class ThroughputBenchmark : IBenchmark
{
    public string Name => "throughput";

    public string Description =>
        "token mints/s and errors with 1, 4, 16, 64 concurrent callers on the local engines (--throughput-requests 2000, --concurrency "
        + "1,4,16,64)";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new BenchmarkArgs(args);
        var requests = options.Count("throughput-requests", 2000);
        var levels = options.Counts("concurrency", [1, 4, 16, 64]);
        var metrics = new Metrics();
        Console.WriteLine($"== {Name}: {requests} token mints per concurrency level");

        await using var engines = await LocalEngines.StartAsync("throughput");
        using var api = ApiUnderTest.OnLocalEngines(engines);
        var stageId = await api.CreateStageAsync("owner-1", cancellationToken);
        await MintAsync(api, stageId, Math.Min(requests, 200), 1, cancellationToken);

        var totalErrors = 0;
        foreach (var callers in levels)
        {
            var (elapsed, errors, latencies) = await MintAsync(api, stageId, requests, callers, cancellationToken);
            var perSecond = requests / elapsed.TotalSeconds;
            metrics[$"c{callers}.requests_per_s"] = perSecond;
            metrics[$"c{callers}.errors"] = errors;
            metrics[$"c{callers}.p99_ms"] = latencies.Percentile(99);
            totalErrors += errors;
            Console.WriteLine(
                $"  {callers,3} callers: {perSecond,8:0} req/s   p50 {latencies.Median,7:0.00}  p99 {latencies.Percentile(99),7:0.00} ms   "
                + $"errors {errors}");
        }

        metrics["errors"] = totalErrors;
        metrics.Note(
            "in-process handler (one instance shared by all callers) → signed HTTP to the in-process emulator and DynamoDB Local on the "
            + "same 2 cores");
        return metrics.ToResult(Name, totalErrors == 0);
    }

    private static async Task<(TimeSpan Elapsed, int Errors, Latencies Latencies)> MintAsync(
        ApiUnderTest api, string stageId, int requests, int callers, CancellationToken cancellationToken)
    {
        var next = -1;
        var errors = 0;
        var samples = new double[requests];
        async Task CallerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                var request = Requests.MintToken(stageId, $"viewer-{i % 500}");
                var start = Stopwatch.GetTimestamp();
                try
                {
                    var (status, _) = await api.SendAsync(request, cancellationToken);
                    if (status != 201)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Counted, not fatal: the error count is what this benchmark reports.
                    Interlocked.Increment(ref errors);
                }

                samples[i] = Latencies.Between(start, Stopwatch.GetTimestamp());
            }
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(CallerAsync, cancellationToken)));
        return (clock.Elapsed, errors, new Latencies(samples));
    }
}
