using IvsServerless.Core.Stages;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Reconciler.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Reconciler.Tests;

/// <summary>The reconciler over in-memory fakes and a FakeTimeProvider that the harness advances while a run waits.</summary>
public sealed class Harness
{
    public const string Ours = "deployment-a";
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private int _runs;

    /// <param name="withHistory">Whether the reconciler reads the projection (as deployed) to skip what it can vouch for.</param>
    public Harness(Func<ReconcilerOptions, ReconcilerOptions>? configure = null, bool withHistory = false)
    {
        Ivs = new FakeIvs(Time);
        var options = new ReconcilerOptions { DeploymentTag = Ours, IdleStageAfter = TimeSpan.FromHours(1) };
        Options = configure?.Invoke(options) ?? options;
        Service = new ReconcilerService(
            Ivs, Stages, Projection, Checkpoints, Stages, new CompositionConvergence(Compositions, Ivs, Time), Options, Time,
            withHistory ? Projection : null);
    }

    public SteppedTime Time { get; } = new(T0);
    public FakeIvs Ivs { get; }
    public InMemoryStageStore Stages { get; } = new();
    public InMemoryProjection Projection { get; } = new();
    public InMemoryCheckpointStore Checkpoints { get; } = new();
    public Testing.ApiSupport.InMemoryCompositionStore Compositions { get; } = new();
    public ReconcilerOptions Options { get; }
    public ReconcilerService Service { get; }

    /// <summary>A stage of this deployment: in IVS and, unless <paramref name="withItem"/> is false, in the store.</summary>
    public FakeStage AddStage(
        string stageId, DateTimeOffset? createdAt = null, bool withItem = true, StageVisibility visibility = StageVisibility.Public)
    {
        var stage = Ivs.AddStage(stageId, Ours);
        if (withItem)
        {
            Stages.AddAsync(new Stage(stageId, stage.Arn, stageId, "owner", visibility, new HashSet<string>(), new HashSet<string>(),
                createdAt ?? Time.GetUtcNow()), CancellationToken.None).GetAwaiter().GetResult();
        }

        return stage;
    }

    /// <summary>
    /// One run with <paramref name="budget"/> of Lambda time left. The clock moves in 10 ms steps, and only while the
    /// run waits: after a step wakes the run up, the next step waits until the run blocks on a new timer again (or ends),
    /// or, since the run works on several stages at once and a woken task may only hand work to another (a channel),
    /// until nothing of it is left to run (<see cref="SteppedTime.Settled"/>).
    /// </summary>
    public async Task<ReconcileReport> RunAsync(TimeSpan? budget = null)
    {
        var run = Service.RunAsync(
            $"run-{++_runs}", budget ?? TimeSpan.FromMinutes(5), new LambdaJsonLogger(Stream.Null), CancellationToken.None);
        for (var steps = 0; !run.IsCompleted; steps++)
        {
            Assert.True(steps < 100_000, "The run did not finish within ~17 simulated minutes.");
            var (created, fired) = (Time.TimersCreated, Time.TimersFired);
            Time.Advance(TimeSpan.FromMilliseconds(10));
            if (Time.TimersFired > fired)
            {
                await Time.UntilAsync(() => run.IsCompleted || Time.TimersCreated > created, settle: true);
            }
        }

        return await run;
    }
}

/// <summary>A FakeTimeProvider that counts timers created and fired, so a driver knows when the code under test waits.</summary>
public sealed class SteppedTime(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _inner = new(start);
    private int _created;
    private int _fired;

    public int TimersCreated => Volatile.Read(ref _created);
    public int TimersFired => Volatile.Read(ref _fired);

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();
    public override long GetTimestamp() => _inner.GetTimestamp();
    public override long TimestampFrequency => _inner.TimestampFrequency;

    public void Advance(TimeSpan delta) => _inner.Advance(delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        return _inner.CreateTimer(s =>
        {
            Interlocked.Increment(ref _fired);
            callback(s);
        }, state, dueTime, period);
    }

    /// <summary>
    /// Awaits a condition that other threads make true, for at most 10 real seconds; with <paramref name="settle"/>, also
    /// returns once the thread pool has had nothing queued and completed nothing for 20 ms in a row (the run is blocked
    /// on something other than a new timer: an old timer, or a channel another of its tasks will fill after a step).
    /// </summary>
    public async Task UntilAsync(Func<bool> condition, bool settle = false)
    {
        var deadline = Environment.TickCount64 + 10_000;
        var (quietSince, completed) = (Environment.TickCount64, ThreadPool.CompletedWorkItemCount);
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "The run neither waited again nor finished within 10 s.");
            await Task.Yield();
            if (!settle)
            {
                continue;
            }

            // The harness's own continuation is one completed item per round; anything more is the run at work.
            var now = ThreadPool.CompletedWorkItemCount;
            if (ThreadPool.PendingWorkItemCount > 0 || now - completed > 1)
            {
                quietSince = Environment.TickCount64;
            }
            else if (Environment.TickCount64 - quietSince >= 20)
            {
                return;
            }

            completed = now;
        }
    }
}
