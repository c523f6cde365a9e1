using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IvsServerless.EventHandlers;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Lambda.Runtime.Sqs;
using IvsServerless.Testing;
using IvsServerless.Testing.Faults;
using IvsServerless.Testing.Projection;

namespace IvsServerless.Benchmarks.Projection;

/// <summary>How events reach the queue in a batched run.</summary>
public enum BatchedOrder
{
    /// <summary>Arrival order, each event displaced by up to two batches, duplicates later (an SQS queue fed by EventBridge).</summary>
    Queue,

    /// <summary>Every event anywhere (the worst case for merging: almost no two events of a batch share an item).</summary>
    Shuffled,
}

/// <param name="BatchSize">Messages per invocation (the event source mapping's batch size).</param>
/// <param name="MaxConcurrency">Invocations at once (the mapping's maximum concurrency).</param>
/// <param name="FailPerMille">Participant items (by sort key) whose writes are throttled until the retry round.</param>
public sealed record BatchedRunOptions(
    int Events = 10_000, int Stages = 50, int BatchSize = 100, int MaxConcurrency = 4, double Duplicates = 0.10, int Seed = 42,
    BatchedOrder Order = BatchedOrder.Queue, int FailPerMille = 5);

/// <param name="Invocations">Handler invocations, retries included (one per batch).</param>
/// <param name="FailedFirstTime">Messages the first invocations handed back (their writes were refused).</param>
/// <param name="Profile">Requests in flight over the run (handling only).</param>
/// <param name="ClientCpu">CPU time this process used during the run (handler, SDK, the benchmark's own delivery).</param>
/// <param name="EngineCpu">CPU time the DynamoDB Local JVM used during the run (null where it cannot be read).</param>
/// <param name="Replay">The run's own requests sent again with nothing between them (<see cref="EngineReplay"/>).</param>
public sealed record BatchedRunResult(
    int Delivered, TimeSpan Elapsed, long Requests, int Invocations, int FailedFirstTime, int RetryRounds,
    BatchedRunCheck Check, InFlightProfile Profile, TimeSpan ClientCpu, TimeSpan? EngineCpu, ReplayResult Replay)
{
    /// <summary>The engine ceiling for this work: the delivered events over the time the replay of their requests took.</summary>
    public double ReplayEventsPerSecond => Delivered / Replay.Elapsed.TotalSeconds;

    public double EventsPerSecond => Delivered / Elapsed.TotalSeconds;

    public double RequestsPerEvent => (double)Requests / Delivered;

    public double InvocationsPer1000Events => Invocations * 1000.0 / Delivered;
}

public sealed record BatchedRunCheck(int ItemsExpected, int Lost, int Wrong, int Unexpected, int LogExpected, int LogFound)
{
    public bool Correct => Lost == 0 && Wrong == 0 && Unexpected == 0 && LogFound == LogExpected;
}

/// <summary>
/// The batched path as AWS runs it: events in SQS messages, batches of <see cref="BatchedRunOptions.BatchSize"/> through
/// the <c>ivs-events</c> handler (the SQS payload, <c>batchItemFailures</c> back), at most
/// <see cref="BatchedRunOptions.MaxConcurrency"/> invocations at once, into DynamoDB Local. Some participant items'
/// writes are throttled on the first pass; the messages the handler hands back are delivered again (as SQS does after
/// the visibility timeout) once the throttling stops. Then the table is compared item by item with the in-order rules.
/// </summary>
public static class BatchedProjectionRun
{
    private const int MaxRetryRounds = 5;

    public static async Task<BatchedRunResult> RunAsync(BatchedRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var engine = await DynamoDbLocal.GetSharedAsync();
        var table = new DynamoDbOptions
        {
            TableName = await engine.CreateUniqueTableAsync("projection-batched", TableLayout.Definition, cancellationToken)
        };
        using var real = engine.CreateClient();
        var recorder = RecordingDynamoDb.Wrap(real);
        var client = FaultyDynamoDb.Wrap(recorder);
        var stages = new DynamoDbStageStore(client, table);
        var compositions = new DynamoDbCompositionStore(client, table);
        var projection = new DynamoDbProjectionStore(client, table);
        var workload = SyntheticIvsEvents.Generate(options.Seed, options.Events, options.Stages);
        await ProjectionBenchmark.SeedAsync(workload, stages, compositions, cancellationToken);

        var handler = new IvsEventsHandler(
            new IvsEventService(projection, stages, compositions, new DynamoDbRejectedEventStore(client, table)));
        var delivery = options.Order == BatchedOrder.Queue
            ? SyntheticIvsEvents.QueueDelivery(workload.Events, options.Seed, options.Duplicates, window: 2 * options.BatchSize)
            : SyntheticIvsEvents.Delivery(workload.Events, options.Seed, options.Duplicates);
        var messages = delivery.Select((e, i) => new SqsMessage($"m-{i}", Encoding.UTF8.GetString(e.Json), SqsEvent.EventSource)).ToList();
        FaultyDynamoDb.Of(client).Fail(sk => sk.Contains("#PARTICIPANT#", StringComparison.Ordinal) && PerMille(sk) < options.FailPerMille);

        long requests = 0;
        real.BeforeRequestEvent += (_, _) => Interlocked.Increment(ref requests);
        var invocations = 0;
        var enginePid = CpuSample.FindEngine(engine.Port);
        var cpuBefore = CpuSample.Take(enginePid);
        var started = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        var pending = messages;
        var failedFirstTime = 0;
        var rounds = 0;
        for (; pending.Count > 0 && rounds <= MaxRetryRounds; rounds++)
        {
            var failed = new ConcurrentBag<SqsMessage>();
            var batches = pending.Chunk(options.BatchSize).ToList();
            await Parallel.ForEachAsync(batches,
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = cancellationToken },
                async (batch, ct) =>
                {
                    Interlocked.Increment(ref invocations);
                    var payload = JsonSerializer.SerializeToUtf8Bytes(new SqsEvent(batch), SqsJsonContext.Default.SqsEvent);
                    var context = new LambdaContext
                    {
                        AwsRequestId = batch[0].MessageId,
                        Deadline = DateTimeOffset.UtcNow.AddMinutes(1),
                        Logger = new LambdaJsonLogger(Stream.Null),
                    };
                    var response = SqsBatchResponse.Read((await handler.HandleAsync(payload, context, ct)).Span);
                    var byId = batch.ToDictionary(m => m.MessageId, StringComparer.Ordinal);
                    foreach (var failure in response.BatchItemFailures)
                    {
                        failed.Add(byId[failure.ItemIdentifier]);
                    }
                });
            if (rounds == 0)
            {
                failedFirstTime = failed.Count;
                // The throttling passes; SQS hands the failed messages out again after their visibility timeout.
                FaultyDynamoDb.Of(client).Heal();
            }

            pending = [.. failed.OrderBy(m => int.Parse(m.MessageId[2..], System.Globalization.CultureInfo.InvariantCulture))];
        }

        var elapsed = clock.Elapsed;
        var ended = Stopwatch.GetTimestamp();
        var cpuAfter = CpuSample.Take(enginePid);
        var handlingRequests = Interlocked.Read(ref requests);
        var sent = RecordingDynamoDb.Of(recorder).Requests.Where(r => r.Start >= started).ToList();
        var check = await ProjectionBenchmark.VerifyAsync(real, table.TableName, projection, workload, cancellationToken);
        await real.DeleteTableAsync(table.TableName, cancellationToken);
        var replay = await ReplayAsync(engine, real, workload, table.TableName, sent,
            options.MaxConcurrency * DynamoDbProjectionStore.MaxWritesInFlight, cancellationToken);
        return new BatchedRunResult(delivery.Count, elapsed, handlingRequests, invocations, failedFirstTime, rounds,
            new BatchedRunCheck(check.ItemsExpected, check.Lost, check.Wrong, check.Unexpected, check.LogExpected, check.LogFound),
            InFlightProfile.Of(sent, started, ended), cpuAfter.Client - cpuBefore.Client, cpuAfter.Engine - cpuBefore.Engine, replay);
    }

    /// <summary>The run's requests again, into a fresh table seeded the same way, at the run's in-flight bound.</summary>
    private static async Task<ReplayResult> ReplayAsync(DynamoDbLocal engine, Amazon.DynamoDBv2.IAmazonDynamoDB client,
        SyntheticWorkload workload, string runTable, IReadOnlyList<RecordedRequest> sent, int concurrency,
        CancellationToken cancellationToken)
    {
        var table = new DynamoDbOptions
        {
            TableName = await engine.CreateUniqueTableAsync("projection-replay", TableLayout.Definition, cancellationToken)
        };
        await ProjectionBenchmark.SeedAsync(workload, new DynamoDbStageStore(client, table), new DynamoDbCompositionStore(client, table),
            cancellationToken);
        var replay = await EngineReplay.RunAsync(client, runTable, table.TableName, [.. sent.Select(r => r.Request)], concurrency,
            cancellationToken);
        await client.DeleteTableAsync(table.TableName, cancellationToken);
        return replay;
    }

    /// <summary>A stable 0–999 from a key (FNV-1a), so the same items fail on every run.</summary>
    private static int PerMille(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % 1000);
    }
}
