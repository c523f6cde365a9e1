using System.Diagnostics;
using IvsServerless.Benchmarks.Support;
using IvsServerless.Core.Tokens;
using IvsServerless.Testing.ApiSupport;

namespace IvsServerless.Benchmarks.WarmLatency;

/// <summary>
/// Warm, in-process requests through the HTTP API handler's byte interface, one at a time: token mint, get stage,
/// create stage, each against the real local engines and against in-memory fakes (the project's own overhead),
/// interleaved operation by operation.
/// </summary>
public sealed class WarmLatencyBenchmark : IBenchmark
{
    public const double TargetMintP99Milliseconds = 15;

    // IVS's defaults for a token (12 hours, publish and subscribe), minted straight through the IVS token port.
    private static readonly TokenGrant ViewerGrant =
        new("viewer-1", ParticipantCapabilities.PublishAndSubscribe, TimeSpan.FromHours(12), new Dictionary<string, string>());

    public string Name => "warm-latency";

    public string Description =>
        "p50/p90/p99 of mint token, get stage, create stage: local engines vs in-memory fakes (--requests 2000, --warmup 500)";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new BenchmarkArgs(args);
        var requests = options.Count("requests", 2000);
        var warmup = options.Count("warmup", 500);
        var metrics = new Metrics();
        Console.WriteLine($"== {Name}: {requests} requests per operation after {warmup} warm-up");

        await using var engines = await LocalEngines.StartAsync("latency");
        using var local = ApiUnderTest.OnLocalEngines(engines);
        using var inMemory = ApiUnderTest.InMemory();
        var setups = new List<(ApiUnderTest Api, string StageId)>();
        foreach (var api in new[] { local, inMemory })
        {
            setups.Add((api, await api.CreateStageAsync("owner-1", cancellationToken)));
        }

        // Created stages are deleted again (untimed): IVS allows 1,000 stages per account and region, and so does the emulator.
        var operations = new Operation[]
        {
            new("mint_token", 201, (stageId, i) => Requests.MintToken(stageId, $"viewer-{i % 500}")),
            new("get_stage", 200, (stageId, i) => Requests.GetStage(stageId, $"viewer-{i % 500}")),
            new("create_stage", 201, (_, i) => Requests.CreateStage($"owner-{i % 500}"),
                (i, body) => Requests.DeleteStage(Requests.StageIdOf(body), $"owner-{i % 500}")),
        };

        // Warm every path on both wirings first (our JIT tiers and DynamoDB Local's JVM alike), then measure.
        foreach (var operation in operations)
        {
            foreach (var (api, stageId) in setups)
            {
                await SendAllAsync(api, stageId, operation, warmup, cancellationToken);
            }
        }

        var errors = 0;
        foreach (var operation in operations)
        {
            foreach (var (api, stageId) in setups)
            {
                var (latencies, failed) = await SendAllAsync(api, stageId, operation, requests, cancellationToken);
                errors += failed;
                metrics.Add($"{api.Kind}.{operation.Name}", latencies);
                Console.WriteLine(
                    $"  {operation.Name,-13} {api.Kind,-14} p50 {latencies.Median,7:0.000}  p90 {latencies.Percentile(90),7:0.000}  p99 "
                    + $"{latencies.Percentile(99),7:0.000}  max {latencies.Max,8:0.000} ms");
            }
        }

        // Where a token mint's time goes on the local engines: the two calls it makes, each timed alone.
        var stage = await local.Stages.FindAsync(setups[0].StageId, cancellationToken)
            ?? throw new InvalidOperationException("The benchmark stage vanished.");
        var parts = new (string Name, Func<Task> Call)[]
        {
            ("dynamodb_get_stage", () => local.Stages.FindAsync(stage.StageId, cancellationToken)),
            (
                "ivs_create_participant_token", () =>
                local.Tokens.CreateParticipantTokenAsync(stage.StageArn, ViewerGrant, cancellationToken)),
        };
        foreach (var (name, call) in parts)
        {
            for (var i = 0; i < warmup; i++)
            {
                await call();
            }

            var samples = new double[requests];
            for (var i = 0; i < requests; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                samples[i] = Latencies.Between(start, Stopwatch.GetTimestamp());
            }

            var latencies = new Latencies(samples);
            metrics.Add($"local-engines.part.{name}", latencies);
            Console.WriteLine(
                $"  {name,-28}      p50 {latencies.Median,7:0.000}  p90 {latencies.Percentile(90),7:0.000}  p99 "
                + $"{latencies.Percentile(99),7:0.000}  max {latencies.Max,8:0.000} ms");
        }

        metrics["errors"] = errors;
        var mintP99 = metrics["local-engines.mint_token.p99_ms"];
        Console.WriteLine($"  errors {errors}; mint p99 on local engines {mintP99:0.00} ms (target ≤ {TargetMintP99Milliseconds} ms)");
        metrics.Note("each request timed around the handler's byte interface, including serializing the event and parsing the response");
        metrics.Note("in-memory: stores and IVS client are fakes (no network, token is random text, not an ES384 JWT)");
        return metrics.ToResult(Name, errors == 0 && mintP99 <= TargetMintP99Milliseconds);
    }

    private static async Task<(Latencies Latencies, int Errors)> SendAllAsync(
        ApiUnderTest api, string stageId, Operation operation, int count, CancellationToken cancellationToken)
    {
        var samples = new double[count];
        var errors = 0;
        for (var i = 0; i < count; i++)
        {
            var request = operation.Request(stageId, i);
            var start = Stopwatch.GetTimestamp();
            var (status, body) = await api.SendAsync(request, cancellationToken);
            samples[i] = Latencies.Between(start, Stopwatch.GetTimestamp());
            if (status != operation.Expected)
            {
                if (errors++ == 0)
                {
                    Console.WriteLine($"  first error: {operation.Name} on {api.Kind} answered {status}: {body}");
                }
            }
            else if (operation.Cleanup is { } cleanup)
            {
                await api.SendAsync(cleanup(i, body), cancellationToken);
            }
        }

        return (new Latencies(samples), errors);
    }

    private sealed record Operation(
        string Name, int Expected, Func<string, int, ApiRequest> Request, Func<int, string, ApiRequest>? Cleanup = null);
}
