using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Reconciliation;
using IvsServerless.Core.Stages;
using IvsServerless.Deployment.Functions;
using IvsServerless.EventHandlers;
using IvsServerless.IvsEmulator;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Reconciler;
using IvsServerless.Testing.ApiSupport;
using IvsServerless.Testing.Projection;
using Stage = IvsServerless.Core.Stages.Stage;

namespace IvsServerless.Benchmarks.Reconciliation;

/// <param name="Publishers">Of each stage's participants, how many publish (the others only watch).</param>
/// <param name="DropFraction">Share of the emulator's events the projection never gets (lost on the way).</param>
public sealed record ReconcilerScaleOptions(
    int Stages = 1_000, int ParticipantsPerStage = 3, int Publishers = 2, double DropFraction = 0.05, int Seed = 42,
    int CallsPerSecond = ReconcilerOptions.IvsQuotaPerSecond, int SeedConcurrency = 8, int IvsLatencyMs = 50,
    int StageConcurrency = 4);

/// <summary>One complete pass of the reconciler (from the run that started the cycle to the run that completed it).</summary>
/// <param name="Time">Simulated time from the first run's start to the end of the run that completed the cycle.</param>
/// <param name="PresenceMaxAge">At the end of the pass, the oldest presence observation of a live participant.</param>
public sealed record ReconcilerPass(
    TimeSpan Time, int Runs, IReadOnlyDictionary<string, int> IvsCalls, int PublishStatesChecked, int PublishStatesRepaired,
    TimeSpan PresenceMaxAge, TimeSpan PresenceMeanAge);

/// <param name="Wrong">Participants whose projected publishing state or presence differs from IVS's.</param>
public sealed record ReconcilerScaleResult(
    int Stages, int Participants, int PublishingParticipants, int EventsEmitted, int EventsDropped, int WrongBefore,
    ReconcilerPass First, int WrongAfterFirst, ReconcilerPass Steady, int WrongAfterSteady)
{
    public int Calls(ReconcilerPass pass, string operation) => pass.IvsCalls.GetValueOrDefault(operation);
}

/// <summary>
/// The reconciler at scale on a simulated clock: the IVS emulator seeded with live stages of this deployment, each with
/// participants who joined and (some) publish; their events go through the production <c>ivs-events</c> service into an
/// in-memory projection, but for a seeded fraction that is lost. Then the production reconciler runs as its schedule
/// runs it (every minute, 50 s budget, token buckets at the IVS quota per operation) on the simulated clock until a
/// complete pass (the repairs), and for a second complete pass (the steady state). IVS answers take no simulated time.
/// </summary>
public static class ReconcilerScaleRun
{
    public const string DeploymentTag = "bench";

    private static readonly TimeSpan Schedule = TimeSpan.FromMinutes(1);
    // What the handler gives a run: the function's 55 s timeout less the deadline margin (capped by MaxRunTime).
    private static readonly TimeSpan RunBudget =
        BackendFunctions.Reconciler.Timeout - new ReconcilerOptions { DeploymentTag = DeploymentTag }.DeadlineMargin;

    public static async Task<ReconcilerScaleResult> RunAsync(ReconcilerScaleOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sink = new ChannelEventSink();
        await using var emulator = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = "us-east-1" }, events: sink);
        using var sim = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var ivsHttp = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var adapter = new IvsRealTimeAdapter(new IvsRealTimeClient(
            ivsHttp,
            new IvsRealTimeClientOptions
            {
                Region = "us-east-1",
                ServiceUrl = emulator.BaseAddress.ToString().TrimEnd('/'),
                MaxAttempts = 1,
            },
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));

        var stages = new CatalogStageStore();
        var projection = new InMemoryProjectionStore();
        var truth = await SeedAsync(options, sim, stages, ct);

        // The events, each lost with the drop probability (seeded), the rest through the production service.
        var events = new IvsEventService(projection, stages, new InMemoryCompositionStore(), new InMemoryRejectedEventStore());
        var random = new Random(options.Seed);
        var (emitted, dropped) = (0, 0);
        while (sink.Reader.TryRead(out var e))
        {
            emitted++;
            if (random.NextDouble() < options.DropFraction)
            {
                dropped++;
                continue;
            }

            await events.HandleAsync(Encoding.UTF8.GetBytes(e.ToJson()), ct);
        }

        var wrongBefore = await WrongAsync(truth, projection, ct);

        // The schedule on a simulated clock that starts after every real event time.
        var clock = new SimulatedClock(DateTimeOffset.UtcNow.AddMinutes(1));
        var reconciler = new ReconcilerService(
            new LatentStageInventory(adapter, clock, TimeSpan.FromMilliseconds(options.IvsLatencyMs)), stages, projection,
            new InMemoryCheckpoints(), stages,
            new CompositionConvergence(new InMemoryCompositionStore(), adapter, clock),
            new ReconcilerOptions
            {
                DeploymentTag = DeploymentTag,
                CallsPerSecond = options.CallsPerSecond,
                IdleStageAfter = TimeSpan.FromDays(1),
                StageConcurrency = options.StageConcurrency,
            },
            clock, projection);
        var runs = 0;
        var first = await PassAsync(reconciler, clock, truth, projection, () => ++runs, ct);
        var wrongAfterFirst = await WrongAsync(truth, projection, ct);
        var steady = await PassAsync(reconciler, clock, truth, projection, () => ++runs, ct);
        var wrongAfterSteady = await WrongAsync(truth, projection, ct);
        return new ReconcilerScaleResult(
            options.Stages, truth.Count, truth.Count(t => t.Publishing), emitted, dropped, wrongBefore, first, wrongAfterFirst, steady,
            wrongAfterSteady);
    }

    /// <summary>A participant as the emulator was driven: the truth the projection must end up with.</summary>
    private sealed record Truth(string StageId, string SessionId, string ParticipantId, bool Publishing);

    private static async Task<List<Truth>> SeedAsync(ReconcilerScaleOptions options, HttpClient sim, CatalogStageStore stages,
        CancellationToken ct)
    {
        var truth = new List<Truth>();
        var gate = new Lock();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Stages), new ParallelOptions
        {
            MaxDegreeOfParallelism = options.SeedConcurrency,
            CancellationToken = ct,
        }, async (i, token) =>
        {
            var created = await PostAsync(sim, "/CreateStage", new JsonObject
            {
                ["name"] = $"scale-{i:D5}",
                ["tags"] = new JsonObject { [StageTags.ManagedBy] = DeploymentTag },
            }, token);
            var arn = created["stage"]!["arn"]!.GetValue<string>();
            var stageId = arn[(arn.LastIndexOf('/') + 1)..];
            await stages.AddAsync(new Stage(stageId, arn, $"scale-{i:D5}", "owner", StageVisibility.Public, new HashSet<string>(),
                new HashSet<string>(), DateTimeOffset.UtcNow), token);
            var mine = new List<(string ParticipantId, bool Publishing)>();
            for (var p = 0; p < options.ParticipantsPerStage; p++)
            {
                var token2 = (await PostAsync(sim, "/CreateParticipantToken", new JsonObject
                {
                    ["stageArn"] = arn,
                    ["userId"] = $"user-{p}",
                }, token))["participantToken"]!["token"]!.GetValue<string>();
                var participantId = (await PostAsync(sim, "/_sim/join", new JsonObject { ["token"] = token2 }, token))[
                    "participantId"]!.GetValue<string>();
                var publishes = p < options.Publishers;
                if (publishes)
                {
                    await PostAsync(sim, $"/_sim/stages/{stageId}/participants/{participantId}/publish", [], token);
                }

                mine.Add((participantId, publishes));
            }

            var session = (await PostAsync(sim, "/GetStage", new JsonObject { ["arn"] = arn }, token))["stage"]!["activeSessionId"]!
                .GetValue<string>();
            lock (gate)
            {
                truth.AddRange(mine.Select(m => new Truth(stageId, session, m.ParticipantId, m.Publishing)));
            }
        });
        return truth;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, JsonObject body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
    }

    /// <summary>Scheduled runs on the simulated clock until one completes the cycle it is in.</summary>
    private static async Task<ReconcilerPass> PassAsync(ReconcilerService reconciler, SimulatedClock clock, List<Truth> truth,
        InMemoryProjectionStore projection, Func<int> nextRun, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var calls = new Dictionary<string, int>(StringComparer.Ordinal);
        var (checkedStates, repaired, runs) = (0, 0, 0);
        while (true)
        {
            var runStart = started + (Schedule * runs);
            clock.AdvanceTo(runStart);
            runs++;
            var report = await clock.DriveAsync(
                reconciler.RunAsync($"run-{nextRun()}", RunBudget, new LambdaJsonLogger(Stream.Null), ct));
            foreach (var (operation, count) in report.IvsCalls)
            {
                calls[operation] = calls.GetValueOrDefault(operation) + count;
            }

            (checkedStates, repaired) = (checkedStates + report.PublishStatesChecked, repaired + report.PublishStatesRepaired);
            if (report.CycleCompleted)
            {
                break;
            }
        }

        var end = clock.GetUtcNow();
        var ages = new List<TimeSpan>();
        foreach (var session in truth.GroupBy(t => (t.StageId, t.SessionId)))
        {
            var detail = await projection.FindSessionAsync(session.Key.StageId, session.Key.SessionId, ct);
            ages.AddRange(detail?.Participants.Select(p => p.PresenceObservedAt is { } at ? end - at : end - started) ?? []);
        }

        return new ReconcilerPass(end - started, runs, calls, checkedStates, repaired,
            ages.Count == 0 ? TimeSpan.Zero : ages.Max(),
            ages.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)ages.Average(a => a.Ticks)));
    }

    /// <summary>Participants the API would show wrong: not present, or publishing when they are not (or the reverse).</summary>
    private static async Task<int> WrongAsync(List<Truth> truth, InMemoryProjectionStore projection, CancellationToken ct)
    {
        var wrong = 0;
        foreach (var session in truth.GroupBy(t => (t.StageId, t.SessionId)))
        {
            var detail = await projection.FindSessionAsync(session.Key.StageId, session.Key.SessionId, ct);
            var known = detail?.Participants.ToDictionary(p => p.ParticipantId, StringComparer.Ordinal) ?? [];
            wrong += session.Count(
                t => known.GetValueOrDefault(t.ParticipantId) is not { } p || !p.IsPresent || p.Publishing != t.Publishing);
        }

        return wrong;
    }

    /// <summary>The stage store with the catalog the ghost walk reads (slices by a stable hash of the stage id).</summary>
    private sealed class CatalogStageStore : InMemoryStageStore, IStageCatalog
    {
        public async IAsyncEnumerable<Stage> ListSliceAsync(
            int slice, int slices, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var stage in All.Where(s => s.StageId.Sum(c => c) % slices == slice))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return stage;
            }

            await Task.CompletedTask;
        }
    }

    /// <summary>The reconciler's checkpoint item in memory (runs here never overlap, so the lease always goes to the caller).</summary>
    private sealed class InMemoryCheckpoints : IReconcilerCheckpointStore
    {
        private ReconcilerCheckpoint _checkpoint = ReconcilerCheckpoint.Start;

        public Task<ReconcilerCheckpoint?> TryAcquireAsync(
            string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
            Task.FromResult<ReconcilerCheckpoint?>(_checkpoint);

        public Task<bool> SaveAsync(string owner, ReconcilerCheckpoint checkpoint, bool release, CancellationToken cancellationToken)
        {
            _checkpoint = checkpoint;
            return Task.FromResult(true);
        }
    }
}
