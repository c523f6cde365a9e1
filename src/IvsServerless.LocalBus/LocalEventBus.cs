using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.LocalBus;

/// <summary>A rule of the local bus: what EventBridge would hold as a rule with one Lambda target.</summary>
public sealed record LocalRule(string Name, EventPattern Pattern, ILambdaHandler Target);

/// <summary>An event whose delivery to a rule's target failed on every attempt (the SQS dead-letter queue in AWS).</summary>
public sealed record DeadLetter(string EventJson, string RuleName, int Attempts, string ErrorMessage);

public sealed class LocalEventBusOptions
{
    /// <summary>Attempts per target, the first included: mirrors the rule target's retry policy.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the first retry; doubles for every further one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How the bus waits between attempts; tests pass a no-op.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;
}

/// <summary>
/// An in-process stand-in for the EventBridge default bus: routes each published event to the target of
/// every rule whose pattern matches, with retries and a dead-letter list. One consumer loop delivers events
/// in publish order, so a target sees the events of a rule in order, as a single Lambda target would locally.
/// </summary>
public sealed class LocalEventBus : IAsyncDisposable
{
    private readonly LocalEventBusOptions _options;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<LocalRule> _rules = [];
    private readonly List<DeadLetter> _deadLetters = [];
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

    public LocalRule AddRule(string name, EventPattern pattern, ILambdaHandler target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(target);
        var rule = new LocalRule(name, pattern, target);
        lock (_gate)
        {
            if (_rules.Any(r => r.Name == name))
            {
                throw new ArgumentException($"A rule named '{name}' already exists.", nameof(name));
            }
            _rules.Add(rule);
        }
        return rule;
    }

    public LocalRule AddRule(string name, string patternJson, ILambdaHandler target) =>
        AddRule(name, EventPattern.Parse(patternJson), target);

    /// <summary>
    /// Queues an event; the task completes once every matching target has had it (delivered, or dead-lettered
    /// after the last attempt). Returns how many rules matched. Not a JSON object: <see cref="ArgumentException"/>.
    /// </summary>
    public Task<int> PublishAsync(ReadOnlyMemory<byte> envelope, CancellationToken ct = default)
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
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Done.Task.WaitAsync(ct);
    }

    public Task<int> PublishAsync(JsonObject envelope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return PublishAsync(JsonSerializer.SerializeToUtf8Bytes(envelope, JsonSerializerOptions.Default), ct);
    }

    /// <summary>
    /// Pumps a source of events (the emulator's event channel, say) into the bus until <paramref name="ct"/>
    /// is cancelled or the source completes. Each event is delivered before the next is read.
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
                    await PublishAsync(toEnvelope(item), ct);
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
        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetCanceled();
        }
        _stopping.Dispose();
    }

    private sealed record Pending(JsonObject Event, byte[] Bytes)
    {
        public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
                    pending.Done.TrySetResult(await RouteAsync(pending, ct));
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

    private async Task<int> RouteAsync(Pending pending, CancellationToken ct)
    {
        var matching = Rules.Where(r => r.Pattern.Matches(pending.Event)).ToList();
        if (matching.Count == 0)
        {
            Interlocked.Increment(ref _unmatched);
        }
        foreach (var rule in matching)
        {
            await DeliverAsync(rule, pending.Bytes, ct);
        }
        return matching.Count;
    }

    private async Task DeliverAsync(LocalRule rule, byte[] payload, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var context = new LambdaContext { AwsRequestId = Guid.NewGuid().ToString(), FunctionName = rule.Name };
                await rule.Target.HandleAsync(payload, context, ct);
                return;
            }
            catch (Exception error) when (!(error is OperationCanceledException && ct.IsCancellationRequested))
            {
                if (attempt >= _options.MaxAttempts)
                {
                    lock (_gate)
                    {
                        _deadLetters.Add(new DeadLetter(System.Text.Encoding.UTF8.GetString(payload), rule.Name, attempt, error.Message));
                    }
                    return;
                }
            }
            await _options.Delay(Backoff(attempt), ct);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = _options.InitialBackoff * Math.Pow(2, attempt - 1);
        return delay < _options.MaxBackoff ? delay : _options.MaxBackoff;
    }
}
