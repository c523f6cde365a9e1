using IvsServerless.Benchmarks.Live;

namespace IvsServerless.Benchmarks.Tests;

/// <summary>
/// The live benchmark end to end at a tiny size (a local host, a few WebSocket clients): every change reached every
/// client and the summary carries what the results report shows. Timings are never asserted.
/// </summary>
public sealed class LiveBenchmarkTests
{
    [Fact]
    public async Task Live_delivers_every_change_to_every_client_and_counts_invocations_and_requests_per_change()
    {
        var result = await new LiveBenchmark().RunAsync(
            ["--subscribers", "2", "--changes", "4", "--fanout-connections", "5", "--fanout-changes", "2", "--batched-changes", "2"],
            CancellationToken.None);

        var metrics = result.Metrics;
        Assert.Equal("live", result.Name);
        Assert.Equal((0, 0), (metrics["latency.lost"], metrics["fanout.lost"]));
        Assert.Equal(2 * 4, metrics["latency.count"]);
        // The same measures again with the deployed default (a one-second batching window), under their own names.
        Assert.Equal(2 * 2, metrics["batched.latency.count"]);
        Assert.Equal((0, 0), (metrics["batched.latency.lost"], metrics["batched.fanout.lost"]));
        Assert.Equal(5, metrics["fanout.connections"]);
        foreach (var name in new[] { "latency.p50_ms", "latency.p99_ms", "fanout.last_client_median_ms", "fanout.messages_per_s" })
        {
            Assert.True(metrics[name] > 0, $"{name} = {metrics[name]}");
        }

        Assert.True(metrics["latency.p50_ms"] <= metrics["latency.p99_ms"]);
        Assert.True(metrics["fanout.first_client_median_ms"] <= metrics["fanout.last_client_median_ms"]);
        foreach (var row in new[] { "per_change_subscribers", "per_change_fanout" })
        {
            // Every change is one ivs-events invocation and at least one notifier invocation, which advances the stage's
            // version and reads its subscribers: requests are counted, not estimated.
            Assert.True(metrics[$"{row}.ivs_events_invocations"] >= 1, $"{row}: {metrics[$"{row}.ivs_events_invocations"]}");
            Assert.True(metrics[$"{row}.notifier_invocations"] >= 1, $"{row}: {metrics[$"{row}.notifier_invocations"]}");
            Assert.True(metrics[$"{row}.notifier_dynamodb_requests"] >= 2, $"{row}: {metrics[$"{row}.notifier_dynamodb_requests"]}");
            Assert.True(metrics[$"{row}.all_dynamodb_requests"] >= metrics[$"{row}.notifier_dynamodb_requests"]
                + metrics[$"{row}.ivs_events_dynamodb_requests"]);
        }

        // Each new connection: one authorizer call, $connect and the subscribe frame.
        Assert.Equal(1, metrics["connect.live_authorizer_invocations_per_connection"]);
        Assert.Equal(2, metrics["connect.live_connections_invocations_per_connection"]);
    }
}
