using System.Globalization;
using System.Text;
using System.Threading.Channels;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Lambda.Runtime.Sqs;

namespace IvsServerless.LocalBus;

/// <summary>
/// How a local queue hands its messages to its function, as an SQS queue with an event source mapping does: batches of
/// up to <paramref name="BatchSize"/> messages, gathered for at most <paramref name="BatchingWindow"/>; a message the
/// function reports in <c>batchItemFailures</c> (or every message of a batch whose invocation failed) becomes visible
/// again after <paramref name="VisibilityTimeout"/>, and is dead-lettered once received <paramref name="MaxReceiveCount"/>
/// times (the redrive policy).
/// </summary>
public sealed record LocalQueueSettings(int BatchSize, TimeSpan BatchingWindow, TimeSpan VisibilityTimeout, int MaxReceiveCount)
{
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchingWindow, TimeSpan.Zero, nameof(BatchingWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(VisibilityTimeout, TimeSpan.Zero, nameof(VisibilityTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReceiveCount, 1, nameof(MaxReceiveCount));
    }
}

/// <summary>
/// An SQS queue of the local bus with its one consumer (the event source mapping): rules send events to it, its loop
/// hands them to <see cref="Target"/> in batches as an <see cref="SqsEvent"/> and reads the <see cref="SqsBatchResponse"/>.
/// A failed message waits for its visibility timeout off the loop, so later batches are not held back by it.
/// </summary>
public sealed class LocalQueue
{
    private readonly Channel<Message> _visible = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Action<DeadLetter> _deadLetter;
    private long _sequence;
    private long _invocations;

    internal LocalQueue(
        string name, ILambdaHandler target, LocalQueueSettings settings, Func<TimeSpan, CancellationToken, Task> delay,
        Action<DeadLetter> deadLetter)
    {
        Name = name;
        Target = target;
        Settings = settings;
        _delay = delay;
        _deadLetter = deadLetter;
    }

    public string Name { get; }

    public ILambdaHandler Target { get; }

    public LocalQueueSettings Settings { get; }

    /// <summary>How many times the function was invoked with a batch.</summary>
    public long Invocations => Interlocked.Read(ref _invocations);

    /// <summary>A message in the queue: its body, which rule sent it, how often it was received, whom to tell when it is done.</summary>
    internal sealed class Message(string id, byte[] body, string ruleName, Action done)
    {
        public string Id { get; } = id;
        public byte[] Body { get; } = body;
        public string RuleName { get; } = ruleName;
        public int ReceiveCount { get; set; }
        public string? LastError { get; set; }
        public void Done() => done();
    }

    internal void Send(byte[] body, string ruleName, Action done)
    {
        var id = $"{Name}-{Interlocked.Increment(ref _sequence)}";
        _visible.Writer.TryWrite(new Message(id, body, ruleName, done));
    }

    internal void Complete() => _visible.Writer.TryComplete();

    internal async Task ConsumeAsync(CancellationToken ct)
    {
        try
        {
            while (await _visible.Reader.WaitToReadAsync(ct))
            {
                var batch = await GatherAsync(ct);
                if (batch.Count > 0)
                {
                    await DeliverAsync(batch, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>What is visible now, then more until the batch is full or the window has passed since the first message.</summary>
    private async Task<List<Message>> GatherAsync(CancellationToken ct)
    {
        var batch = new List<Message>(Math.Min(Settings.BatchSize, 1024));
        while (batch.Count < Settings.BatchSize && _visible.Reader.TryRead(out var first))
        {
            batch.Add(first);
        }

        if (batch.Count == 0 || batch.Count >= Settings.BatchSize || Settings.BatchingWindow <= TimeSpan.Zero)
        {
            return batch;
        }

        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var elapsed = _delay(Settings.BatchingWindow, window.Token);
        try
        {
            while (batch.Count < Settings.BatchSize)
            {
                if (_visible.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                    continue;
                }

                var more = _visible.Reader.WaitToReadAsync(window.Token).AsTask();
                if (await Task.WhenAny(more, elapsed) == elapsed || !await more)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        finally
        {
            await window.CancelAsync();
        }

        return batch;
    }

    private async Task DeliverAsync(List<Message> batch, CancellationToken ct)
    {
        foreach (var message in batch)
        {
            message.ReceiveCount++;
        }

        var payload = new SqsEvent([
            .. batch.Select(m => new SqsMessage(
                m.Id, Encoding.UTF8.GetString(m.Body), SqsEvent.EventSource, $"arn:aws:sqs:local:000000000000:{Name}", m.Id,
                new Dictionary<string, string> { ["ApproximateReceiveCount"] = m.ReceiveCount.ToString(CultureInfo.InvariantCulture) }))]);
        HashSet<string> failed;
        string? error = null;
        try
        {
            Interlocked.Increment(ref _invocations);
            var context = new LambdaContext { AwsRequestId = Guid.NewGuid().ToString(), FunctionName = Name };
            var answer = await Target.HandleAsync(
                System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(payload, SqsJsonContext.Default.SqsEvent), context, ct);
            failed = answer.IsEmpty
                ? []
                : [.. SqsBatchResponse.Read(answer.Span).BatchItemFailures.Select(f => f.ItemIdentifier)];
            error = "reported in batchItemFailures";
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            // The whole batch comes back, as when a Lambda invocation fails.
            failed = [.. batch.Select(m => m.Id)];
            error = e.Message;
        }

        foreach (var message in batch)
        {
            if (!failed.Contains(message.Id))
            {
                message.Done();
            }
            else if (message.ReceiveCount >= Settings.MaxReceiveCount)
            {
                _deadLetter(new DeadLetter(Encoding.UTF8.GetString(message.Body), message.RuleName, message.ReceiveCount, error));
                message.Done();
            }
            else
            {
                message.LastError = error;
                _ = ReturnAfterVisibilityTimeoutAsync(message, ct);
            }
        }
    }

    /// <summary>Off the loop: the message becomes visible again once its visibility timeout has passed.</summary>
    private async Task ReturnAfterVisibilityTimeoutAsync(Message message, CancellationToken ct)
    {
        try
        {
            await _delay(Settings.VisibilityTimeout, ct);
            _visible.Writer.TryWrite(message);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
