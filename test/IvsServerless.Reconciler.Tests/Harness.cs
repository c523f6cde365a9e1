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
    /// One run with <paramref name="budget"/> of Lambda time left, on one thread: every continuation of the run goes to a
    /// queue this method empties, and the clock moves (in 10 ms steps) only when the queue is empty — when the whole run
    /// waits on timers. So no task of the run acts at a later time than it woke, however loaded the machine.
    /// </summary>
    public Task<ReconcileReport> RunAsync(TimeSpan? budget = null)
    {
        var pump = new SingleThreadPump();
        var run = pump.Start(() => Service.RunAsync(
            $"run-{++_runs}", budget ?? TimeSpan.FromMinutes(5), new LambdaJsonLogger(Stream.Null), CancellationToken.None));
        for (var steps = 0; ; steps++)
        {
            pump.RunUntilIdle();
            Assert.True(pump.ForeignPosts == 0, "A part of the run went on outside the harness's thread; the clock may have overtaken it.");
            if (run.IsCompleted)
            {
                return run;
            }

            Assert.True(steps < 100_000, "The run did not finish within ~17 simulated minutes.");
            Time.Advance(TimeSpan.FromMilliseconds(10));
        }
    }
}

/// <summary>
/// A synchronization context whose posted work runs only when the driver asks, on the driver's thread. Code that awaits
/// without ConfigureAwait (all of this repository's) comes back here, so "nothing queued" means "everything waits".
/// </summary>
public sealed class SingleThreadPump : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Lock _lock = new();

    private readonly int _driver = Environment.CurrentManagedThreadId;
    private int _foreignPosts;

    /// <summary>Work posted from a thread other than the driver's: a part of the run this pump does not drive (e.g. a
    /// CancelAsync callback on the thread pool), which the clock may overtake.</summary>
    public int ForeignPosts => Volatile.Read(ref _foreignPosts);

    public override void Post(SendOrPostCallback d, object? state)
    {
        if (Environment.CurrentManagedThreadId != _driver)
        {
            Interlocked.Increment(ref _foreignPosts);
        }

        lock (_lock)
        {
            _queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The run under test must not block on its own context.");

    /// <summary>Starts <paramref name="start"/> on this context (its first part runs now, the rest is queued).</summary>
    public Task<T> Start<T>(Func<Task<T>> start)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return start();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Runs queued work, and the work it queues, until none is left.</summary>
    public void RunUntilIdle()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            while (TryDequeue(out var work))
            {
                work.Callback(work.State);
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private bool TryDequeue(out (SendOrPostCallback Callback, object? State) work)
    {
        lock (_lock)
        {
            return _queue.TryDequeue(out work);
        }
    }
}

/// <summary>A FakeTimeProvider moved by the tests (and <see cref="Harness.RunAsync"/>).</summary>
public sealed class SteppedTime(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _inner = new(start);

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();
    public override long GetTimestamp() => _inner.GetTimestamp();
    public override long TimestampFrequency => _inner.TimestampFrequency;

    /// <summary>Moves the clock; timers that come due fire on this thread, their continuations queue on the run's pump.</summary>
    public void Advance(TimeSpan delta) => _inner.Advance(delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
