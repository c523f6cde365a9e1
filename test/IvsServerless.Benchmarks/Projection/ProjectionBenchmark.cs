using System.Diagnostics;
using System.Globalization;
using IvsServerless.Benchmarks.Support;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Stages;
using IvsServerless.Deployment.Functions;
using IvsServerless.EventHandlers;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Testing;
using IvsServerless.Testing.ApiSupport;
using IvsServerless.Testing.Projection;

namespace IvsServerless.Benchmarks.Projection;

/// <summary>What one run of the projection benchmark is asked to do.</summary>
public sealed record ProjectionRunOptions(
    int Events = 10_000, int Stages = 50, int Concurrency = 24, double Duplicates = 0.10, int Seed = 42, int BatchSize = 100,
    int BatchConcurrency = 4, bool BatchedOnly = false);

/// <summary>What it measured, and how the table compares with <see cref="Projector.ApplyAll"/> of the events in order.</summary>
public sealed record ProjectionRunResult(
    int Delivered, int Distinct, TimeSpan Elapsed, int Rejected, int ItemsExpected, int ItemsLost, int ItemsWrong, int ItemsUnexpected,
    int LogEntriesExpected, int LogEntriesFound, long Requests, double BaselineRequestsPerSecond, double InMemoryEventsPerSecond,
        bool InMemoryCorrect)
{
    public double RequestsPerEvent => (double)Requests / Delivered;

    public double EventsPerSecond => Delivered / Elapsed.TotalSeconds;
}

/// <summary>
/// <c>projection</c>: a realistic mix of IVS events (many stages, sessions, participants; compositions), 10 % delivered
/// twice, shuffled, through the ivs-events handler into DynamoDB Local with bounded concurrency (Lambda runs events
/// concurrently); then every projected item is read back and compared with the pure rules applied in order.
/// </summary>
public sealed class ProjectionBenchmark : IBenchmark
{
    public const double TargetEventsPerSecond = 1_000;

    public const double TargetRequestsPerEvent = 1.5;

    public string Name => "projection";

    public string Description =>
        "IVS events through ivs-events into DynamoDB Local: events/s, lost or wrong items (--events 10000, --stages 50, "
        + "--event-concurrency 24, --seed 42); then the batched SQS path (--batch-size 100, --batch-concurrency: the contract's "
        + "maximum concurrency, 5): events/s, "
        + "requests/event, invocations per 1,000 events, requests in flight, CPU of client and engine, and the engine ceiling "
        + "for this work (the run's own requests replayed); --batched-only: the queue-order batched run alone";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = Parse(args);
        if (options.BatchedOnly)
        {
            return await RunBatchedOnlyAsync(options, cancellationToken);
        }

        Console.WriteLine(
            $"projection: {options.Events} events over {options.Stages} stages, {options.Duplicates:P0} duplicates, shuffled, "
            + $"{options.Concurrency} in flight");
        var result = await RunAsync(options, cancellationToken);
        Console.WriteLine(
            $"  delivered {result.Delivered} events ({result.Distinct} distinct) in {result.Elapsed.TotalSeconds:F2} s = "
            + $"{result.EventsPerSecond:F0} events/s (target ≥ {TargetEventsPerSecond:F0})");
        Console.WriteLine(
            $"  items: {result.ItemsExpected} expected, {result.ItemsLost} lost, {result.ItemsWrong} wrong, {result.ItemsUnexpected} "
            + $"unexpected; " +
            $"event log {result.LogEntriesFound}/{result.LogEntriesExpected}; rejected {result.Rejected}");
        Console.WriteLine($"  DynamoDB requests: {result.Requests} = {result.RequestsPerEvent:F2} per event; this DynamoDB Local serves " +
            $"{result.BaselineRequestsPerSecond:F0} GetItem/s at the same concurrency, a ceiling of "
                + $"{result.BaselineRequestsPerSecond / result.RequestsPerEvent:F0} events/s");
        Console.WriteLine($"  same delivery, same handler, in-memory stores: {result.InMemoryEventsPerSecond:F0} events/s " +
            $"({result.InMemoryEventsPerSecond / result.EventsPerSecond:F0}x; the handler's own cost), final state "
                + $"{(result.InMemoryCorrect ? "right" : "WRONG")}");
        var batched = await BatchedProjectionRun.RunAsync(new BatchedRunOptions(options.Events, options.Stages, options.BatchSize,
            options.BatchConcurrency, options.Duplicates, options.Seed), cancellationToken);
        Print("batched, queue order", batched, options);
        Console.WriteLine($"    GetItem baseline of this run: {result.BaselineRequestsPerSecond:F0}/s; the replay's requests/s are "
            + $"{batched.Replay.RequestsPerSecond / result.BaselineRequestsPerSecond:F2} of it");
        var shuffled = await BatchedProjectionRun.RunAsync(new BatchedRunOptions(options.Events, options.Stages, options.BatchSize,
            options.BatchConcurrency, options.Duplicates, options.Seed, BatchedOrder.Shuffled), cancellationToken);
        Print("batched, fully shuffled (worst case for merging)", shuffled, options);
        var correct = result.ItemsLost == 0 && result.ItemsWrong == 0 && result.ItemsUnexpected == 0 && result.Rejected == 0
            && result.LogEntriesFound == result.LogEntriesExpected && result.InMemoryCorrect && batched.Check.Correct
            && shuffled.Check.Correct;
        var fast = batched.EventsPerSecond >= TargetEventsPerSecond && batched.RequestsPerEvent <= TargetRequestsPerEvent;
        var notes = new List<string>();
        if (!fast)
        {
            notes.Add($"batched path below target (≥ {TargetEventsPerSecond:F0} events/s, ≤ {TargetRequestsPerEvent} requests/event) "
                + $"on this machine ({Environment.ProcessorCount} cores shared)");
        }

        var metrics = new Dictionary<string, double>
        {
            ["events"] = result.Delivered,
            ["eventsPerSecond"] = Math.Round(result.EventsPerSecond, 1),
            ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3),
            ["concurrency"] = options.Concurrency,
            ["dynamoDbRequestsPerEvent"] = Math.Round(result.RequestsPerEvent, 2),
            ["baselineGetItemPerSecond"] = Math.Round(result.BaselineRequestsPerSecond, 1),
            ["engineCeilingEventsPerSecond"] = Math.Round(result.BaselineRequestsPerSecond / result.RequestsPerEvent, 1),
            ["inMemoryEventsPerSecond"] = Math.Round(result.InMemoryEventsPerSecond, 1),
            ["itemsExpected"] = result.ItemsExpected,
            ["itemsLost"] = result.ItemsLost,
            ["itemsWrong"] = result.ItemsWrong,
            ["itemsUnexpected"] = result.ItemsUnexpected,
            ["rejected"] = result.Rejected,
            ["batchSize"] = options.BatchSize,
            ["batchMaxConcurrency"] = options.BatchConcurrency,
            ["batchedEventsPerSecond"] = Math.Round(batched.EventsPerSecond, 1),
            ["batchedDynamoDbRequestsPerEvent"] = Math.Round(batched.RequestsPerEvent, 3),
            ["batchedInvocationsPer1000Events"] = Math.Round(batched.InvocationsPer1000Events, 2),
            ["batchedFailedFirstTime"] = batched.FailedFirstTime,
            ["batchedItemsLost"] = batched.Check.Lost,
            ["batchedItemsWrong"] = batched.Check.Wrong,
            ["replayPerGetItemBaseline"] = Math.Round(batched.Replay.RequestsPerSecond / result.BaselineRequestsPerSecond, 3),
            ["shuffledBatchedEventsPerSecond"] = Math.Round(shuffled.EventsPerSecond, 1),
            ["shuffledBatchedDynamoDbRequestsPerEvent"] = Math.Round(shuffled.RequestsPerEvent, 3),
            ["shuffledBatchedItemsLost"] = shuffled.Check.Lost,
            ["shuffledBatchedItemsWrong"] = shuffled.Check.Wrong,
        };
        foreach (var (name, value) in BatchedProfileMetrics(batched))
        {
            metrics[name] = value;
        }

        return new BenchmarkResult(Name, metrics, correct && fast, notes);
    }

    private static void Print(string label, BatchedRunResult run, ProjectionRunOptions options)
    {
        Console.WriteLine(
            $"  {label}: {run.Delivered} events in batches of {options.BatchSize}, ≤ {options.BatchConcurrency} invocations at once: "
            + $"{run.EventsPerSecond:F0} events/s, {run.RequestsPerEvent:F3} DynamoDB requests/event, "
            + $"{run.InvocationsPer1000Events:F1} invocations per 1,000 events ({run.FailedFirstTime} handed back for a retry, "
            + $"{run.RetryRounds - 1} retry rounds); items {run.Check.ItemsExpected} expected, {run.Check.Lost} lost, "
            + $"{run.Check.Wrong} wrong, {run.Check.Unexpected} unexpected; event log {run.Check.LogFound}/{run.Check.LogExpected}");
        var profile = run.Profile;
        var seconds = run.Elapsed.TotalSeconds;
        Console.WriteLine(
            $"    profile: {profile.MeanInFlight:F1} requests in flight on average (max {profile.MaxInFlight}), none in flight "
            + $"{profile.IdleShare:P0} of the time, {profile.MeanLatencyMs:F1} ms per request; CPU: this process "
            + $"{run.ClientCpu.TotalSeconds / seconds:F2} cores, DynamoDB Local "
            + $"{(run.EngineCpu is { } engine ? (engine.TotalSeconds / seconds).ToString("F2", CultureInfo.InvariantCulture) : "?")} "
            + $"cores (of {Environment.ProcessorCount}, shared)");
        Console.WriteLine(
            $"    engine ceiling for this work: its {run.Replay.Requests} requests ("
            + string.Join(", ", profile.ByOperation.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))
            + $") replayed alone at {run.Replay.Concurrency} in flight: {run.Replay.RequestsPerSecond:F0} requests/s = "
            + $"{run.ReplayEventsPerSecond:F0} events/s; the batched path reached {run.EventsPerSecond / run.ReplayEventsPerSecond:P0} "
            + "of it");
    }

    private static Dictionary<string, double> BatchedProfileMetrics(BatchedRunResult run) => new()
    {
        ["batchedMeanRequestsInFlight"] = Math.Round(run.Profile.MeanInFlight, 2),
        ["batchedNoneInFlightShare"] = Math.Round(run.Profile.IdleShare, 3),
        ["batchedClientCpuCores"] = Math.Round(run.ClientCpu.TotalSeconds / run.Elapsed.TotalSeconds, 2),
        ["batchedEngineCpuCores"] = Math.Round((run.EngineCpu ?? TimeSpan.Zero).TotalSeconds / run.Elapsed.TotalSeconds, 2),
        ["replayRequestsPerSecond"] = Math.Round(run.Replay.RequestsPerSecond, 1),
        ["replayEventsPerSecond"] = Math.Round(run.ReplayEventsPerSecond, 1),
        ["batchedShareOfReplay"] = Math.Round(run.EventsPerSecond / run.ReplayEventsPerSecond, 3),
    };

    /// <summary>Only the queue-order batched run (<c>--batched-only</c>): quick iterations on the batched path.</summary>
    private async Task<BenchmarkResult> RunBatchedOnlyAsync(ProjectionRunOptions options, CancellationToken cancellationToken)
    {
        var batched = await BatchedProjectionRun.RunAsync(new BatchedRunOptions(options.Events, options.Stages, options.BatchSize,
            options.BatchConcurrency, options.Duplicates, options.Seed), cancellationToken);
        Print("batched, queue order", batched, options);
        var metrics = new Dictionary<string, double>
        {
            ["batchedEventsPerSecond"] = Math.Round(batched.EventsPerSecond, 1),
            ["batchedDynamoDbRequestsPerEvent"] = Math.Round(batched.RequestsPerEvent, 3),
            ["batchedItemsLost"] = batched.Check.Lost,
            ["batchedItemsWrong"] = batched.Check.Wrong,
        };
        foreach (var (name, value) in BatchedProfileMetrics(batched))
        {
            metrics[name] = value;
        }

        var met = batched.Check.Correct && batched.EventsPerSecond >= TargetEventsPerSecond
            && batched.RequestsPerEvent <= TargetRequestsPerEvent;
        return new BenchmarkResult(Name, metrics, met, ["--batched-only: the per-event and shuffled runs were skipped"]);
    }

    /// <summary>One run on the process-wide DynamoDB Local, in a fresh table. Also what the smoke test calls.</summary>
    public static async Task<ProjectionRunResult> RunAsync(ProjectionRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var engine = await DynamoDbLocal.GetSharedAsync();
        var table = new DynamoDbOptions
        {
            TableName = await engine.CreateUniqueTableAsync("projection-bench", TableLayout.Definition, cancellationToken)
        };
        using var client = engine.CreateClient();
        var stages = new DynamoDbStageStore(client, table);
        var compositions = new DynamoDbCompositionStore(client, table);
        var projection = new DynamoDbProjectionStore(client, table);
        var workload = SyntheticIvsEvents.Generate(options.Seed, options.Events, options.Stages);
        await SeedAsync(workload, stages, compositions, cancellationToken);

        var baseline = await MeasureBaselineAsync(client, table.TableName, workload.StageIds[0], options.Concurrency, cancellationToken);

        // The production wiring of the ivs-events function (FunctionServices), one handler shared by all "invocations".
        var handler = new IvsEventsHandler(
            new IvsEventService(projection, stages, compositions, new DynamoDbRejectedEventStore(client, table)));
        var delivery = SyntheticIvsEvents.Delivery(workload.Events, options.Seed, options.Duplicates);
        long requests = 0;
        client.BeforeRequestEvent += (_, _) => Interlocked.Increment(ref requests);
        var (elapsed, rejected) = await DeliverAsync(handler, delivery, options.Concurrency, cancellationToken);
        var handlingRequests = Interlocked.Read(ref requests);

        var check = await VerifyAsync(client, table.TableName, projection, workload, cancellationToken);
        await client.DeleteTableAsync(table.TableName, cancellationToken);
        var (inMemoryEventsPerSecond, inMemoryState) = await RunInMemoryAsync(workload, delivery, options.Concurrency, cancellationToken);
        return new ProjectionRunResult(
            delivery.Count, workload.Events.Count, elapsed, rejected, check.ItemsExpected, check.Lost, check.Wrong,
            check.Unexpected, check.LogExpected, check.LogFound, handlingRequests, baseline, inMemoryEventsPerSecond,
            Compare(Expected(workload), inMemoryState) == (0, 0, 0));
    }

    /// <summary>
    /// The same delivery through the same handler over the in-memory stores: what the handler itself costs, so the
    /// DynamoDB Local run can be read as engine-bound or not.
    /// </summary>
    private static async Task<(double EventsPerSecond, ProjectionState State)> RunInMemoryAsync(SyntheticWorkload workload,
        IReadOnlyList<SyntheticEvent> delivery, int concurrency, CancellationToken cancellationToken)
    {
        var stages = new InMemoryStageStore();
        var compositions = new InMemoryCompositionStore();
        var projection = new InMemoryProjectionStore();
        await SeedAsync(workload, stages, compositions, cancellationToken);

        var handler = new IvsEventsHandler(new IvsEventService(projection, stages, compositions, new InMemoryRejectedEventStore()));
        var (elapsed, _) = await DeliverAsync(handler, delivery, concurrency, cancellationToken);
        return (delivery.Count / elapsed.TotalSeconds, projection.State);
    }

    /// <summary>
    /// Every event of <paramref name="delivery"/> as its own invocation of <paramref name="handler"/>, at most
    /// <paramref name="concurrency"/> at a time (as Lambda runs events concurrently): how long it took, and how many were rejected.
    /// </summary>
    private static async Task<(TimeSpan Elapsed, int Rejected)> DeliverAsync(
        IvsEventsHandler handler, IReadOnlyList<SyntheticEvent> delivery,
        int concurrency, CancellationToken cancellationToken)
    {
        var rejected = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            delivery, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (e, ct) =>
            {
                var context = new LambdaContext
                {
                    AwsRequestId = e.Parsed.Id,
                    Deadline = DateTimeOffset.UtcNow.AddMinutes(1),
                    Logger = new LambdaJsonLogger(
                    Stream.Null)
                };
                var result = await handler.HandleAsync(e.Json, context, ct);
                if (result.Span.IndexOf("\"Rejected\""u8) >= 0)
                {
                    Interlocked.Increment(ref rejected);
                }
            });
        return (clock.Elapsed, rejected);
    }

    /// <summary>What the API would have stored before the events: the stages and the started compositions.</summary>
    internal static async Task SeedAsync(
        SyntheticWorkload workload, IStageStore stages, ICompositionStore compositions, CancellationToken cancellationToken)
    {
        foreach (var stageId in workload.StageIds)
        {
            await stages.AddAsync(
                new Stage(stageId, SyntheticIvsEvents.StageArn(stageId), "bench-" + stageId, "owner", StageVisibility.Public,
                new HashSet<string>(), new HashSet<string>(), SyntheticIvsEvents.BaseTime.AddDays(-1)), cancellationToken);
        }

        foreach (var (stageId, arn) in workload.Compositions)
        {
            await compositions.AddAsync(new Composition(arn, stageId, "owner", "key-" + arn[(arn.LastIndexOf('/') + 1)..], "STARTING",
                SyntheticIvsEvents.BaseTime.AddDays(-1)), cancellationToken);
        }
    }

    /// <summary>What this DynamoDB Local serves here at all: the same concurrency of the cheapest request (GetItem of a stage).</summary>
    private static async Task<double> MeasureBaselineAsync(
        Amazon.DynamoDBv2.IAmazonDynamoDB client, string table, string stageId, int concurrency, CancellationToken ct)
    {
        const int Requests = 2_000;
        var key = new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>
        {
            [TableLayout.PartitionKey] = new() { S = TableLayout.StagePartition(stageId) },
            [TableLayout.SortKey] = new() { S = TableLayout.StageSortKey },
        };
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (_, token) =>
                await client.GetItemAsync(
                new Amazon.DynamoDBv2.Model.GetItemRequest { TableName = table, Key = key, ConsistentRead = true }, token));
        return Requests / clock.Elapsed.TotalSeconds;
    }

    private static ProjectionState Expected(SyntheticWorkload workload) =>
        Projector.ApplyAll(ProjectionState.Empty, workload.Events.Select(e => e.Parsed));

    /// <summary>Every projected item read back and compared with the pure rules applied in order; the event log counted.</summary>
    internal static async Task<TableCheck> VerifyAsync(Amazon.DynamoDBv2.IAmazonDynamoDB client, string tableName,
        DynamoDbProjectionStore projection, SyntheticWorkload workload, CancellationToken cancellationToken)
    {
        var expected = Expected(workload);
        var actual = ProjectionState.Empty;
        var logFound = 0;
        foreach (var stageId in workload.StageIds)
        {
            actual = ProjectionMerge.Merge(actual, await projection.ReadStageAsync(stageId, cancellationToken));
            logFound += await CountLogEntriesAsync(client, tableName, stageId, cancellationToken);
        }

        var (lost, wrong, unexpected) = Compare(expected, actual);
        return new TableCheck(
            expected.Participants.Count + expected.Sessions.Count + expected.Compositions.Count + expected.Destinations.Count, lost, wrong,
            unexpected, workload.Events.Count(e => e.Parsed.Detail is not Core.Events.CompositionStateDetail), logFound);
    }

    internal sealed record TableCheck(int ItemsExpected, int Lost, int Wrong, int Unexpected, int LogExpected, int LogFound)
    {
        public bool Correct => Lost == 0 && Wrong == 0 && Unexpected == 0 && LogFound == LogExpected;
    }

    private static (int Lost, int Wrong, int Unexpected) Compare(ProjectionState expected, ProjectionState actual)
    {
        var lost = 0;
        var wrong = 0;
        var unexpected = 0;
        void Count<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> e, IReadOnlyDictionary<TKey, TValue> a)
        {
            foreach (var (key, value) in e)
            {
                if (!a.TryGetValue(key, out var found))
                {
                    lost++;
                }
                else if (!EqualityComparer<TValue>.Default.Equals(value, found))
                {
                    wrong++;
                }
            }

            unexpected += a.Keys.Count(k => !e.ContainsKey(k));
        }

        Count(expected.Participants, actual.Participants);
        Count(expected.Sessions, actual.Sessions);
        Count(expected.Compositions, actual.Compositions);
        Count(expected.Destinations, actual.Destinations);
        return (lost, wrong, unexpected);
    }

    private static async Task<int> CountLogEntriesAsync(
        Amazon.DynamoDBv2.IAmazonDynamoDB client, string table, string stageId, CancellationToken ct)
    {
        var count = 0;
        Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
            {
                TableName = table,
                KeyConditionExpression = "PK = :pk AND begins_with(SK, :session)",
                FilterExpression = "itemType = :event",
                ExpressionAttributeValues = new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>
                {
                    [":pk"] = new() { S = TableLayout.StagePartition(stageId) },
                    [":session"] = new() { S = "SESSION#" },
                    [":event"] = new() { S = "event" },
                },
                Select = Amazon.DynamoDBv2.Select.COUNT,
                ExclusiveStartKey = start,
            }, ct);
            count += response.Count ?? 0;
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return count;
    }

    private static ProjectionRunOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkArgs(args);
        var defaults = new ProjectionRunOptions();
        return defaults with
        {
            Events = options.Count("events", defaults.Events),
            Stages = options.Count("stages", defaults.Stages),
            Concurrency = options.Count("event-concurrency", defaults.Concurrency),
            Seed = options.Count("seed", defaults.Seed),
            BatchSize = options.Count("batch-size", defaults.BatchSize),
            // As deployed: the event source mapping's maximum concurrency, from the contract.
            BatchConcurrency = options.Count("batch-concurrency", BackendFunctions.IvsEvents.Queue!.MaximumConcurrency),
            BatchedOnly = options.Flag("batched-only"),
        };
    }
}
