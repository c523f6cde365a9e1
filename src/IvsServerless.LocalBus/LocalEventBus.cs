using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.LocalBus;

/// <summary>
/// A rule of the local bus: what EventBridge would hold as a rule with one target, either a Lambda function invoked
/// directly (<see cref="Queue"/> null) or a queue that invokes <see cref="Target"/> with batches.
/// </summary>
public sealed record LocalRule(string Name, EventPattern Pattern, ILambdaHandler Target, LocalQueue? Queue = null);

/// <summary>
/// An event a target never took: delivered directly and failed on every attempt, or received from a queue its
/// maximum number of times (the SQS dead-letter queues in AWS). <paramref name="Attempts"/>: attempts or receives.
/// </summary>
public sealed record DeadLetter(string EventJson, string RuleName, int Attempts, string? ErrorMessage);

public sealed class LocalEventBusOptions
{
    /// <summary>
    /// Attempts per direct (Lambda) target, the first included: Lambda's asynchronous invocation makes 3 (two retries).
    /// </summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the first retry of a direct target (Lambda: about a minute); doubles for every further one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How the bus waits (retries, visibility timeouts, batching windows); tests pass their own clock's delay.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;
}

/// <summary>
/// An in-process stand-in for the EventBridge default bus: routes each published event to the target of every rule
/// whose pattern matches. One consumer loop reads events in publish order and makes each direct target's first attempt;
/// a failed attempt is retried as Lambda's asynchronous invocation does (1, then 2 minutes later by default), and a rule
/// with a queue target sends the event to that queue, whose own loop delivers batches (<see cref="LocalQueue"/>). Every
/// retry waits off the loops, so an event waiting for its retry never holds back others. What never got through is kept
/// as a dead letter.
/// </summary>
public sealed class LocalEventBus : IAsyncDisposable
{
    private readonly LocalEventBusOptions _options;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<LocalRule> _rules = [];
    private readonly List<LocalQueue> _queues = [];
    private readonly List<Task> _queueLoops = [];
    private readonly List<DeadLetter> _deadLetters = [];
    private readonly HashSet<Pending> _outstanding = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _consumer;
    private long _unmatched;
    private long _rejected;
    private int _disposed;

    public LocalEventBus(LocalEventBusOptions? options = null)
    {
        _options = options ?? new LocalEventBusOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1, nameof(options));
        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>Events that matched no rule (EventBridge drops them silently; here they are counted).</summary>
    public long UnmatchedCount => Interlocked.Read(ref _unmatched);

    /// <summary>Items the pump could not publish because they were not a JSON object.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    public IReadOnlyList<LocalRule> Rules
    {
        get { lock (_gate) { return _rules.ToList(); } }
    }

    public IReadOnlyList<DeadLetter> DeadLetters
    {
        get { lock (_gate) { return _deadLetters.ToList(); } }
    }

    public void ClearDeadLetters()
    {
        lock (_gate)
        {
            _deadLetters.Clear();
        }
    }

    public IReadOnlyList<LocalQueue> Queues
    {
        get { lock (_gate) { return _queues.ToList(); } }
    }

    /// <summary>
    /// A queue that invokes <paramref name="target"/> with batches; rules send to it with
    /// <see cref="AddRule(string, string, LocalQueue)"/>.
    /// </summary>
    public LocalQueue AddQueue(string name, ILambdaHandler target, LocalQueueSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var queue = new LocalQueue(name, target, settings, _options.Delay, AddDeadLetter);
        lock (_gate)
        {
            if (_queues.Any(q => q.Name == name))
            {
                throw new ArgumentException($"A queue named '{name}' already exists.", nameof(name));
            }

            _queues.Add(queue);
            _queueLoops.Add(Task.Run(() => queue.ConsumeAsync(_stopping.Token)));
        }

        return queue;
    }

    public LocalRule AddRule(string name, EventPattern pattern, LocalQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Add(new LocalRule(name, pattern, queue.Target, queue));
    }

    public LocalRule AddRule(string name, string patternJson, LocalQueue queue) => AddRule(name, EventPattern.Parse(patternJson), queue);

    public LocalRule AddRule(string name, EventPattern pattern, ILambdaHandler target) => Add(new LocalRule(name, pattern, target));

    private LocalRule Add(LocalRule rule)
    {
        var name = rule.Name;
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rule.Pattern);
        ArgumentNullException.ThrowIfNull(rule.Target);
        lock (_gate)
        {
            if (_rules.Any(r => r.Name == name))
            {
                throw new ArgumentException($"A rule named '{name}' already exists.", nameof(rule));
            }
            _rules.Add(rule);
        }
        return rule;
    }

    public LocalRule AddRule(string name, string patternJson, ILambdaHandler target) =>
        AddRule(name, EventPattern.Parse(patternJson), target);

    /// <summary>
    /// Queues an event; the task completes once every matching target has finished with it (delivered, or dead-lettered
    /// after its last attempt or receive), which with real retry timings can take minutes. Returns how many rules
    /// matched. Not a JSON object: <see cref="ArgumentException"/>.
    /// </summary>
    public Task<int> PublishAsync(ReadOnlyMemory<byte> envelope, CancellationToken ct = default) =>
        Enqueue(envelope).Done.Task.WaitAsync(ct);

    private Pending Enqueue(ReadOnlyMemory<byte> envelope)
    {
        JsonObject parsed;
        try
        {
            parsed = JsonNode.Parse(envelope.Span) as JsonObject
                ?? throw new ArgumentException("An event must be a JSON object.", nameof(envelope));
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"An event must be a JSON object: {error.Message}", nameof(envelope), error);
        }
        var pending = new Pending(parsed, envelope.ToArray());
        lock (_gate)
        {
            _outstanding.Add(pending);
        }

        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending;
    }

    public Task<int> PublishAsync(JsonObject envelope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return PublishAsync(JsonSerializer.SerializeToUtf8Bytes(envelope, JsonSerializerOptions.Default), ct);
    }

    /// <summary>
    /// Pumps a source of events (the emulator's event channel, say) into the bus until <paramref name="ct"/>
    /// is cancelled or the source completes, in order, as EventBridge takes them: without waiting for their delivery.
    /// </summary>
    public async Task RunAsync<T>(ChannelReader<T> source, Func<T, ReadOnlyMemory<byte>> toEnvelope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(toEnvelope);
        try
        {
            await foreach (var item in source.ReadAllAsync(ct))
            {
                try
                {
                    _ = Enqueue(toEnvelope(item));
                }
                catch (ArgumentException)
                {
                    // One malformed item must not stop the pump for every later event.
                    Interlocked.Increment(ref _rejected);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _consumer;
        List<Task> loops;
        List<Pending> left;
        lock (_gate)
        {
            _queues.ForEach(q => q.Complete());
            loops = [.. _queueLoops];
            left = [.. _outstanding];
            _outstanding.Clear();
        }

        await Task.WhenAll(loops);
        left.ForEach(p => p.Done.TrySetCanceled());
        _stopping.Dispose();
    }

    private void AddDeadLetter(DeadLetter deadLetter)
    {
        lock (_gate)
        {
            _deadLetters.Add(deadLetter);
        }
    }

    /// <summary>An event on its way: done once each of its <see cref="Remaining"/> targets has finished with it.</summary>
    private sealed class Pending(JsonObject @event, byte[] bytes)
    {
        public JsonObject Event { get; } = @event;

        public byte[] Bytes { get; } = bytes;

        public int Matched { get; set; }

        public int Remaining;

        public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void Finish(Pending pending)
    {
        lock (_gate)
        {
            _outstanding.Remove(pending);
        }

        pending.Done.TrySetResult(pending.Matched);
    }

    private void TargetDone(Pending pending)
    {
        if (Interlocked.Decrement(ref pending.Remaining) == 0)
        {
            Finish(pending);
        }
    }

    private async Task ConsumeAsync()
    {
        var ct = _stopping.Token;
        try
        {
            await foreach (var pending in _queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await RouteAsync(pending, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    pending.Done.TrySetCanceled(ct);
                    return;
                }
                catch (Exception error)
                {
                    pending.Done.TrySetException(error);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task RouteAsync(Pending pending, CancellationToken ct)
    {
        var matching = Rules.Where(r => r.Pattern.Matches(pending.Event)).ToList();
        pending.Matched = matching.Count;
        if (matching.Count == 0)
        {
            Interlocked.Increment(ref _unmatched);
            Finish(pending);
            return;
        }

        pending.Remaining = matching.Count;
        foreach (var rule in matching)
        {
            if (rule.Queue is { } queue)
            {
                queue.Send(pending.Bytes, rule.Name, () => TargetDone(pending));
            }
            else if (await TryInvokeAsync(rule, pending.Bytes, ct) is { } error)
            {
                _ = RetryAsync(rule, pending, error, ct);
            }
            else
            {
                TargetDone(pending);
            }
        }
    }

    /// <summary>One invocation of a direct target; the error message, or null when it succeeded.</summary>
    private static async Task<string?> TryInvokeAsync(LocalRule rule, byte[] payload, CancellationToken ct)
    {
        try
        {
            var context = new LambdaContext { AwsRequestId = Guid.NewGuid().ToString(), FunctionName = rule.Name };
            await rule.Target.HandleAsync(payload, context, ct);
            return null;
        }
        catch (Exception error) when (!(error is OperationCanceledException && ct.IsCancellationRequested))
        {
            return error.Message;
        }
    }

    /// <summary>Off the loop: Lambda's asynchronous retries of a direct target, then a dead letter.</summary>
    private async Task RetryAsync(LocalRule rule, Pending pending, string error, CancellationToken ct)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (attempt >= _options.MaxAttempts)
                {
                    AddDeadLetter(new DeadLetter(System.Text.Encoding.UTF8.GetString(pending.Bytes), rule.Name, attempt, error));
                    break;
                }

                await _options.Delay(Backoff(attempt), ct);
                if (await TryInvokeAsync(rule, pending.Bytes, ct) is not { } next)
                {
                    break;
                }

                error = next;
            }

            TargetDone(pending);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = _options.InitialBackoff * Math.Pow(2, attempt - 1);
        return delay < _options.MaxBackoff ? delay : _options.MaxBackoff;
    }
}
