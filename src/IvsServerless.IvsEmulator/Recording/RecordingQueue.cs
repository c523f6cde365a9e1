using System.Threading.Channels;
using IvsServerless.IvsEmulator.Operations;

namespace IvsServerless.IvsEmulator.Recording;

/// <summary>What a write came to: written, refused (IVS reports a failure), or not attempted (its recording already failed).</summary>
public enum RecordingWriteOutcome
{
    Written,
    Failed,
    Skipped,
}

/// <summary>
/// One step of a recording: objects to write into <paramref name="Bucket"/> (possibly none), then
/// <paramref name="Complete"/>, run under the emulator's state lock with a context stamped <paramref name="At"/>, which
/// updates the participant and emits the event that announces the objects.
/// </summary>
/// <param name="Recording">Which recording this step belongs to (bucket and prefix): once a step of it fails, its later
/// steps are skipped, as IVS writes nothing more for a recording that failed.</param>
/// <param name="Region">The region of the operation that asked for it (the completion's context).</param>
public sealed record RecordingJob(
    string Recording,
    string Bucket,
    IReadOnlyList<RecordingObject> Objects,
    DateTimeOffset At,
    string Region,
    Action<OperationContext, RecordingWriteOutcome> Complete);

/// <summary>
/// The emulator's recording writes, off its state lock: operations enqueue a <see cref="RecordingJob"/> (never blocking),
/// and one long-running task writes them in order with an <see cref="IRecordingWriter"/>, async all the way, then runs each
/// job's completion under the lock. One queue for all recordings keeps each recording's steps in order (started before
/// ended) and every event after the objects it announces, as IVS writes <c>recording-started.json</c> before Recording Start.
/// </summary>
public sealed class RecordingQueue : IAsyncDisposable
{
    private readonly Channel<Entry> _jobs = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly IRecordingWriter _writer;
    private readonly Action<string, Action<OperationContext>> _underLock;
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly TimeSpan _drainGrace;
    private readonly Task _drain;

    /// <param name="underLock">Runs an action under the emulator's state lock with a fresh context for a region.</param>
    /// <param name="drainGrace">How long disposal lets queued writes finish before cancelling them (default 10 s).</param>
    public RecordingQueue(IRecordingWriter writer, Action<string, Action<OperationContext>> underLock, TimeSpan? drainGrace = null)
    {
        _writer = writer;
        _underLock = underLock;
        _drainGrace = drainGrace ?? TimeSpan.FromSeconds(10);
        _drain = Task.Factory.StartNew(DrainAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .Unwrap();
    }

    /// <summary>Queues a step; never blocks (called under the state lock). After disposal nothing more is written.</summary>
    public void Enqueue(RecordingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        _jobs.Writer.TryWrite(new Entry(job, null));
    }

    /// <summary>Completes once every step queued before this call is written and announced.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_jobs.Writer.TryWrite(new Entry(null, done)))
        {
            return _drain.IsCompleted ? Task.CompletedTask : _drain.WaitAsync(cancellationToken);
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is queued (for up to the drain grace), then cancels what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        try
        {
            await _drain.WaitAsync(_drainGrace);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync();
            await _drain;
        }

        _stopping.Dispose();
    }

    private async Task DrainAsync()
    {
        try
        {
            await foreach (var entry in _jobs.Reader.ReadAllAsync(_stopping.Token))
            {
                if (entry.Barrier is { } barrier)
                {
                    barrier.TrySetResult();
                    continue;
                }

                var job = entry.Job!;
                var outcome = await WriteAsync(job);
                _underLock(job.Region, context => job.Complete(context.At(job.At), outcome));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed with steps left: the emulator is going away, their events would reach nobody.
        }

        while (_jobs.Reader.TryRead(out var left))
        {
            left.Barrier?.TrySetCanceled();
        }
    }

    private async Task<RecordingWriteOutcome> WriteAsync(RecordingJob job)
    {
        if (_failed.Contains(job.Recording))
        {
            return RecordingWriteOutcome.Skipped;
        }

        if (job.Objects.Count == 0)
        {
            return RecordingWriteOutcome.Written;
        }

        try
        {
            await _writer.WriteAsync(job.Bucket, job.Objects, _stopping.Token);
            return RecordingWriteOutcome.Written;
        }
        catch (RecordingWriteException)
        {
            _failed.Add(job.Recording);
            return RecordingWriteOutcome.Failed;
        }
    }

    private sealed record Entry(RecordingJob? Job, TaskCompletionSource? Barrier);
}
