using System.Text.Json.Nodes;
using System.Threading.Channels;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Lambda.Runtime.Sqs;

namespace IvsServerless.LocalBus.Tests;

/// <summary>
/// The bus's clock, by hand: every wait the bus asks for is recorded, and ends only when the test lets it (or when the
/// bus cancels it). No test sleeps.
/// </summary>
public sealed class ManualDelays
{
    private readonly Channel<Waiting> _requests = Channel.CreateUnbounded<Waiting>();

    public Func<TimeSpan, CancellationToken, Task> Delay => (duration, ct) =>
    {
        var waiting = new Waiting(duration, ct);
        _requests.Writer.TryWrite(waiting);
        return waiting.Task;
    };

    /// <summary>The next wait of <paramref name="duration"/> still running (waits cancelled meanwhile are skipped).</summary>
    public async Task<Waiting> NextAsync(TimeSpan duration)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var waiting = await _requests.Reader.ReadAsync(timeout.Token);
            if (waiting.Duration == duration && !waiting.Task.IsCompleted)
            {
                return waiting;
            }
        }
    }

    public sealed class Waiting
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Waiting(TimeSpan duration, CancellationToken ct)
        {
            Duration = duration;
            ct.Register(() => _done.TrySetCanceled(ct));
        }

        public TimeSpan Duration { get; }

        public Task Task => _done.Task;

        public void Elapse() => _done.TrySetResult();
    }
}

/// <summary>
/// A function behind a queue: records every batch (event id and receive count per message) and reports as failed the
/// messages <c>fails</c> picks, or throws (the whole invocation fails) when <c>throws</c> says so.
/// </summary>
public sealed class BatchHandler(Func<string, int, bool>? fails = null, Func<int, bool>? throws = null) : ILambdaHandler
{
    private readonly Channel<IReadOnlyList<(string EventId, int ReceiveCount)>> _batches =
        Channel.CreateUnbounded<IReadOnlyList<(string EventId, int ReceiveCount)>>();
    private int _invocations;

    public ChannelReader<IReadOnlyList<(string EventId, int ReceiveCount)>> Batches => _batches.Reader;

    public async Task<IReadOnlyList<(string EventId, int ReceiveCount)>> NextBatchAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _batches.Reader.ReadAsync(timeout.Token);
    }

    public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        var records = SqsEvent.TryRead(payload.Span)?.Records ?? throw new InvalidOperationException("Not an SQS batch.");
        var batch = records.Select(r => (JsonNode.Parse(r.Body)!["id"]!.GetValue<string>(), r.ReceiveCount)).ToList();
        _batches.Writer.TryWrite(batch);
        if (throws?.Invoke(Interlocked.Increment(ref _invocations)) == true)
        {
            throw new InvalidOperationException("invocation failed");
        }

        var failures = records.Zip(batch)
            .Where(p => fails?.Invoke(p.Second.Item1, p.Second.ReceiveCount) == true)
            .Select(p => new SqsBatchItemFailure(p.First.MessageId))
            .ToList();
        return Task.FromResult<ReadOnlyMemory<byte>>(new SqsBatchResponse(failures).ToUtf8Bytes());
    }
}
