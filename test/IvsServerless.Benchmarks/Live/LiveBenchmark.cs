using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IvsServerless.Benchmarks.Support;
using IvsServerless.Deployment.Functions;
using IvsServerless.LocalHost;
using IvsServerless.Testing;
using Host = IvsServerless.LocalHost.LocalHost;

namespace IvsServerless.Benchmarks.Live;

/// <summary>What one run of the live benchmark is asked to do.</summary>
public sealed record LiveRunOptions(
    int Subscribers = 10, int Changes = 200, int FanoutConnections = 1000, int FanoutChanges = 3, int ConnectConcurrency = 16,
    int Users = 10, int Participants = 12, EventDelivery Delivery = EventDelivery.Immediate);

/// <summary>
/// <c>live</c>: the live-updates path on the local host's parts, as apps see it — the IVS emulator emits an event
/// (<c>/_sim/</c> publish or unpublish), the local bus runs <c>ivs-events</c>, which writes the participant to DynamoDB
/// Local, whose stream the local event source mapping polls into the <c>notifier</c>, which posts to the local WebSocket
/// front's <c>@connections</c>, which sends to the subscribed <see cref="System.Net.WebSockets.ClientWebSocket"/>s.
/// (a) latency from the emulator call to each of 10 subscribers, one change at a time; (b) one stage with 1,000
/// subscribed connections: one change until the last client has it, messages/s; (c) Lambda invocations and DynamoDB
/// requests per delivered change, counted (invocations by the local functions, DynamoDB requests by an AWS SDK pipeline
/// handler, by the function that made them). Run in both event deliveries (<see cref="EventDelivery"/>): immediate (no
/// batching window), which the targets apply to, then the default batched one (a one-second window) with
/// <c>--batched-changes</c> changes, reported under <c>batched.</c>: the window is the difference.
/// </summary>
public sealed class LiveBenchmark : IBenchmark
{
    public const double TargetP99Ms = 250;

    public const double TargetFanoutMs = 2000;

    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    public string Name => "live";

    public string Description =>
        "Live updates on the local host: emulator event → WebSocket message p50/p99 to --subscribers 10 over --changes 200; "
        + "fan-out to --fanout-connections 1000 (--fanout-changes 3): time to the last client, messages/s; invocations and "
        + "DynamoDB requests per change";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = new BenchmarkArgs(args);
        var defaults = new LiveRunOptions();
        var options = defaults with
        {
            Subscribers = parsed.Count("subscribers", defaults.Subscribers),
            Changes = parsed.Count("changes", defaults.Changes),
            FanoutConnections = parsed.Count("fanout-connections", defaults.FanoutConnections),
            FanoutChanges = parsed.Count("fanout-changes", defaults.FanoutChanges),
            ConnectConcurrency = parsed.Count("connect-concurrency", defaults.ConnectConcurrency),
        };
        var immediate = await RunAsync(options, cancellationToken);
        var batchedChanges = parsed.Count("batched-changes", 60);
        if (batchedChanges == 0)
        {
            return immediate;
        }

        var batched = await RunAsync(options with { Delivery = EventDelivery.Batched, Changes = batchedChanges }, cancellationToken);
        return immediate with
        {
            Metrics = new Dictionary<string, double>(
                immediate.Metrics.Concat(batched.Metrics.Select(m => KeyValuePair.Create("batched." + m.Key, m.Value)))),
            Notes = [.. immediate.Notes, .. batched.Notes.Select(n => "batched: " + n)],
        };
    }

    public async Task<BenchmarkResult> RunAsync(LiveRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var metrics = new Metrics();
        Console.WriteLine(
            $"live ({options.Delivery} event delivery): {options.Subscribers} subscribers × {options.Changes} changes; fan-out "
            + $"{options.FanoutConnections} connections × {options.FanoutChanges} changes");
        // Registered before the host creates the functions' clients, so every one of their requests is counted.
        var requests = AwsRequestCounter.Instance;
        var dynamoDb = await DynamoDbLocal.GetSharedAsync();
        var hostOptions = LocalHostOptions.OnFreePorts(new Uri(dynamoDb.ServiceUrl), $"live-bench-{Guid.NewGuid():N}"[..24]) with
        {
            EventDelivery = options.Delivery,
        };
        await using var host = await Host.StartAsync(hostOptions, cancellationToken);
        using var http = new HttpClient();
        var run = new Run(host, http, requests, cancellationToken);

        var stageId = await run.CreateStageAsync("bench-owner");
        for (var i = 0; i < Math.Min(options.Participants, (options.Changes / 2) + 1); i++)
        {
            await run.JoinAsync(stageId, "bench-owner");
        }

        var clients = new List<LiveBenchClient>();
        try
        {
            await run.ConnectAsync(clients, options.Subscribers, options.Users, stageId, options.ConnectConcurrency);

            // Warm-up: the first publish also makes the stage live; the functions' first calls pay their JIT and connections.
            await run.ChangeAsync(stageId, clients);

            // (a) one change at a time, each subscriber's latency from the emulator call.
            var latencies = new List<double>();
            var lastOfChange = new List<double>();
            var lost = 0;
            var before = run.Counts();
            for (var i = 0; i < options.Changes; i++)
            {
                var change = await run.ChangeAsync(stageId, clients);
                latencies.AddRange(change.Latencies);
                lost += change.Lost;
                if (change.Latencies.Count > 0)
                {
                    lastOfChange.Add(change.Latencies.Max());
                }
            }

            var after = run.Counts();
            var perSubscriber = new Latencies(latencies);
            metrics.Add("latency", perSubscriber);
            metrics.Add("latency_last_subscriber", new Latencies(lastOfChange));
            metrics["latency.subscribers"] = options.Subscribers;
            metrics["latency.lost"] = lost;
            Console.WriteLine(
                $"  (a) emulator → message, {options.Subscribers} subscribers, {options.Changes} changes: "
                + $"p50 {perSubscriber.Median:F1} ms, p99 {perSubscriber.Percentile(99):F1} ms, max {perSubscriber.Max:F1} ms, "
                + $"lost {lost} (target p99 ≤ {TargetP99Ms} ms)");
            Report(metrics, "per_change_subscribers", before, after, options.Changes, options.Subscribers);

            // (b) fan-out: one stage, FanoutConnections subscribed connections.
            var setupBefore = run.Counts();
            var setupClock = Stopwatch.StartNew();
            await run.ConnectAsync(clients, options.FanoutConnections - clients.Count, options.Users, stageId, options.ConnectConcurrency);
            var setup = setupClock.Elapsed;
            var setupAfter = run.Counts();
            var added = options.FanoutConnections - options.Subscribers;
            metrics["connect.connections"] = clients.Count;
            metrics["connect.connect_and_subscribe_per_s"] = added / setup.TotalSeconds;
            if (added > 0)
            {
                metrics["connect.live_connections_invocations_per_connection"] =
                    (double)Invocations(setupBefore, setupAfter, "live-connections") / added;
                metrics["connect.live_authorizer_invocations_per_connection"] =
                    (double)Invocations(setupBefore, setupAfter, "live-authorizer") / added;
                metrics["connect.dynamodb_requests_per_connection"] = (double)DynamoDbRequests(setupBefore, setupAfter, null) / added;
            }

            Console.WriteLine($"  connected and subscribed {added} more in {setup.TotalSeconds:F1} s ({added / setup.TotalSeconds:F0}/s)");
            var lastMs = new List<double>();
            var firstMs = new List<double>();
            var spreadMs = new List<double>();
            var fanoutLost = 0;
            var fanoutBefore = run.Counts();
            for (var i = 0; i < options.FanoutChanges; i++)
            {
                var change = await run.ChangeAsync(stageId, clients);
                fanoutLost += change.Lost;
                if (change.Latencies.Count > 0)
                {
                    lastMs.Add(change.Latencies.Max());
                    firstMs.Add(change.Latencies.Min());
                    spreadMs.Add(change.Latencies.Max() - change.Latencies.Min());
                }

                Console.WriteLine(
                    $"  (b) change {i + 1}: first client {change.Latencies.DefaultIfEmpty(double.NaN).Min():F0} ms, last "
                    + $"{change.Latencies.DefaultIfEmpty(double.NaN).Max():F0} ms, {change.Latencies.Count}/{clients.Count} delivered");
            }

            var fanoutAfter = run.Counts();
            var last = new Latencies(lastMs);
            metrics["fanout.connections"] = clients.Count;
            metrics["fanout.changes"] = options.FanoutChanges;
            metrics["fanout.first_client_median_ms"] = new Latencies(firstMs).Median;
            metrics["fanout.last_client_median_ms"] = last.Median;
            metrics["fanout.last_client_max_ms"] = last.Max;
            metrics["fanout.messages_per_s"] = clients.Count / (last.Median / 1000);
            // From the first client's message to the last's: the rate of the posting and sending alone.
            metrics["fanout.first_to_last_median_ms"] = new Latencies(spreadMs).Median;
            metrics["fanout.messages_per_s_first_to_last"] = clients.Count / Math.Max(new Latencies(spreadMs).Median / 1000, 0.001);
            metrics["fanout.lost"] = fanoutLost;
            Console.WriteLine(
                $"  (b) {clients.Count} subscribers: last client after {last.Median:F0} ms (median of {options.FanoutChanges}; max "
                + $"{last.Max:F0}) = {clients.Count / (last.Median / 1000):F0} messages/s, lost {fanoutLost} "
                + $"(target ≤ {TargetFanoutMs} ms)");
            Report(metrics, "per_change_fanout", fanoutBefore, fanoutAfter, options.FanoutChanges, clients.Count);

            metrics.Note(
                "latency is measured from just before the /_sim/ call to the emulator (which emits the IVS event) to the moment the "
                + $"client read the message; one change at a time: publish, unpublish, of {options.Participants} participants in turn "
                + "(one republishes ≥ 1.1 s after its unpublish: IVS event times have whole seconds)");
            metrics.Note(
                "per change: invocations and DynamoDB requests (attempts, counted in the AWS SDK pipeline) of every function in the "
                + "window, divided by the changes; the stream poller's GetRecords (Lambda's event source mapping, not billed as "
                + "requests) is not an SDK call and not counted");
            var met = perSubscriber.Percentile(99) <= TargetP99Ms && last.Max <= TargetFanoutMs && lost == 0 && fanoutLost == 0;
            if (!met)
            {
                metrics.Note($"targets missed on this machine ({Environment.ProcessorCount} cores shared): p99 ≤ {TargetP99Ms} ms, "
                    + $"last of {options.FanoutConnections} ≤ {TargetFanoutMs} ms, nothing lost");
            }

            return metrics.ToResult(Name, met);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static void Report(Metrics metrics, string row, Counts before, Counts after, int changes, int recipients)
    {
        metrics[row + ".changes"] = changes;
        metrics[row + ".recipients"] = recipients;
        foreach (var function in new[] { "notifier", "live-connections", "ivs-events" })
        {
            var column = function.Replace('-', '_');
            metrics[$"{row}.{column}_invocations"] = (double)Invocations(before, after, function) / changes;
            metrics[$"{row}.{column}_dynamodb_requests"] = (double)DynamoDbRequests(before, after, function) / changes;
        }

        metrics[$"{row}.all_dynamodb_requests"] = (double)DynamoDbRequests(before, after, null) / changes;
        var operations = after.Requests.Keys.Where(k => k.Service == "DynamoDB" && k.Function == "notifier")
            .Select(k => $"{k.Operation} {(double)AwsRequestCounter.Delta(before.Requests, after.Requests, x => x == k) / changes:0.##}");
        Console.WriteLine(
            $"  per change ({recipients} recipients): notifier {metrics[$"{row}.notifier_invocations"]:0.##} invocations, "
            + $"{metrics[$"{row}.notifier_dynamodb_requests"]:0.##} DynamoDB requests ({string.Join(", ", operations)}); ivs-events "
            + $"{metrics[$"{row}.ivs_events_invocations"]:0.##} invocations, {metrics[$"{row}.ivs_events_dynamodb_requests"]:0.##} "
            + $"requests; all functions {metrics[$"{row}.all_dynamodb_requests"]:0.##} DynamoDB requests");
    }

    private static long Invocations(Counts before, Counts after, string function) =>
        after.Invocations.GetValueOrDefault(function) - before.Invocations.GetValueOrDefault(function);

    private static long DynamoDbRequests(Counts before, Counts after, string? function) =>
        AwsRequestCounter.Delta(
            before.Requests, after.Requests, k => k.Service == "DynamoDB" && (function is null || k.Function == function));

    private sealed record Counts(
        IReadOnlyDictionary<string, long> Invocations,
        IReadOnlyDictionary<(string Function, string Service, string Operation), long> Requests);

    private sealed record Change(IReadOnlyList<double> Latencies, int Lost);

    /// <summary>The host and what the run keeps: user tokens, the participant's publishing state.</summary>
    private sealed class Run(Host host, HttpClient http, AwsRequestCounter requests, CancellationToken ct)
    {
        /// <summary>
        /// A participant publishes again at least this long after it unpublished: the projection orders a participant's IVS
        /// events by their time, which has whole seconds, so a publish in the same second as the unpublish before it is
        /// taken as older and shows only after the reconciler's next run (not what this benchmark measures).
        /// </summary>
        private static readonly TimeSpan Republish = TimeSpan.FromSeconds(1.1);

        private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
        private readonly List<string> _participants = [];
        private readonly Dictionary<string, long> _unpublishedAt = new(StringComparer.Ordinal);
        private string? _publishing;
        private int _next;

        public Counts Counts() => new(host.Invocations, requests.Snapshot());

        public async Task<string> TokenAsync(string user)
        {
            if (_tokens.TryGetValue(user, out var token))
            {
                return token;
            }

            using var response = await http.PostAsJsonAsync(new Uri(host.ConsoleUrl, "/dev/token"), new { userName = user }, ct);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return _tokens[user] = body.RootElement.GetProperty("token").GetString()!;
        }

        public async Task<string> CreateStageAsync(string owner)
        {
            using var created = await ApiPostAsync("/stages", owner, new { name = "live-bench", visibility = "public" });
            return created.RootElement.GetProperty("stageId").GetString()!;
        }

        public async Task<string> JoinAsync(string stageId, string user)
        {
            using var issued = await ApiPostAsync($"/stages/{stageId}/participant-tokens", user, new { });
            var token = issued.RootElement.GetProperty("token").GetString()!;
            using var joined = await SimAsync("join", new { token, osName = "Linux", sdkVersion = "1.20.0" });
            var participantId = joined.RootElement.GetProperty("participantId").GetString()!;
            _participants.Add(participantId);
            return participantId;
        }

        /// <summary>Connects <paramref name="count"/> more clients (as <paramref name="users"/> users in turn), each subscribed.</summary>
        public async Task ConnectAsync(List<LiveBenchClient> clients, int count, int users, string stageId, int concurrency)
        {
            var start = clients.Count;
            for (var u = 0; u < users; u++)
            {
                await TokenAsync($"bench-viewer-{u}");
            }

            var connected = new LiveBenchClient[Math.Max(count, 0)];
            await Parallel.ForEachAsync(Enumerable.Range(0, connected.Length),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
                {
                    var client = await LiveBenchClient.ConnectAsync(host.LiveUrl, _tokens[$"bench-viewer-{(start + i) % users}"], token);
                    connected[i] = client;
                    await client.SubscribeAsync(stageId, token);
                });
            clients.AddRange(connected);
        }

        /// <summary>
        /// One change through the emulator: the publishing participant unpublishes, or the next one in turn publishes (one
        /// publisher at a time); waits until every client has its message.
        /// </summary>
        public async Task<Change> ChangeAsync(string stageId, IReadOnlyList<LiveBenchClient> clients)
        {
            var participantId = _publishing ?? _participants[_next++ % _participants.Count];
            var action = _publishing is null ? "publish" : "unpublish";
            var expected = _publishing is null ? "publishing-started" : "publishing-stopped";
            if (_publishing is null && _unpublishedAt.TryGetValue(participantId, out var unpublished)
                && Stopwatch.GetElapsedTime(unpublished) < Republish)
            {
                await Task.Delay(Republish - Stopwatch.GetElapsedTime(unpublished), ct);
            }

            _publishing = _publishing is null ? participantId : null;
            var waits = clients.Select(c => c.WaitForAsync(
                m => m.Type == expected && m.ParticipantId == participantId, DeliveryTimeout, ct)).ToList();
            var emitted = Stopwatch.GetTimestamp();
            using (await SimAsync($"stages/{stageId}/participants/{participantId}/{action}", new { }))
            {
                // The answer itself says nothing the clients need.
            }

            if (action == "unpublish")
            {
                _unpublishedAt[participantId] = Stopwatch.GetTimestamp();
            }

            var received = await Task.WhenAll(waits);
            var latencies = received.Where(r => r is not null).Select(r => Latencies.Between(emitted, r!.Value.Timestamp)).ToList();
            return new Change(latencies, received.Count(r => r is null));
        }

        private async Task<JsonDocument> ApiPostAsync(string path, string user, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.ApiUrl, path)) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode ? JsonDocument.Parse(text)
                : throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        private async Task<JsonDocument> SimAsync(string path, object body)
        {
            using var response = await http.PostAsJsonAsync(new Uri(host.EmulatorUrl, "/_sim/" + path), body, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode ? JsonDocument.Parse(text)
                : throw new HttpRequestException($"POST /_sim/{path}: {(int)response.StatusCode} {text}");
        }
    }
}
