using System.Text.Json;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Operations;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.Recording;
using IvsServerless.IvsEmulator.State;
using IvsServerless.IvsEmulator.Tokens;

namespace IvsServerless.IvsEmulator;

/// <summary>
/// The emulator itself, independent of HTTP: runs operations and simulation actions against one
/// in-memory state under one lock. <see cref="EmulatorServer"/> puts it on the wire.
/// </summary>
public sealed class IvsRealTimeEmulator : IDisposable, IAsyncDisposable
{
    private readonly OperationTable _operations = OperationTable.CreateDefault();
    private readonly PageTokens _pages = new();
    private readonly ITimer _scheduler;

    /// <param name="recordings">Where recordings are written (the local host's S3 server), through a
    /// <see cref="RecordingQueue"/> off the state lock; null writes none and announces recordings at once.</param>
    public IvsRealTimeEmulator(
        EmulatorOptions options, TimeProvider? time = null, IIvsEventSink? events = null, IRecordingWriter? recordings = null)
    {
        options.Validate();
        Recordings = recordings is null
            ? null
            : new RecordingQueue(recordings, (region, action) => Run<object?>(region, context =>
            {
                action(context);
                return null;
            }));
        Options = options;
        Time = time ?? TimeProvider.System;
        Events = events ?? new ChannelEventSink();
        _scheduler = Time.CreateTimer(_ => RunScheduled(), null, options.SchedulerInterval, options.SchedulerInterval);
    }

    public EmulatorOptions Options { get; }
    public TimeProvider Time { get; }
    public IIvsEventSink Events { get; }
    /// <summary>The recording writes waiting for the bucket (null when the emulator writes no recordings).</summary>
    public RecordingQueue? Recordings { get; }
    public EmulatorState State { get; } = new();
    public ParticipantTokenSigner TokenSigner { get; } = new();
    public IReadOnlyCollection<string> OperationNames => _operations.Names;

    public bool HasOperation(string name) => _operations.TryGet(name, out _);

    /// <summary>Runs one AWS API operation and returns its JSON response body.</summary>
    public byte[] Execute(string operationName, ReadOnlyMemory<byte> body, string? region = null,
        string? resourceArn = null, IReadOnlyList<string>? tagKeys = null)
    {
        if (!_operations.TryGet(operationName, out var operation))
        {
            throw IvsException.UnknownOperation($"Unknown operation {operationName}.");
        }

        var input = RequestReader.Parse(body);
        return Run(region, context => JsonSerializer.SerializeToUtf8Bytes(operation(context, input), WireJson.Options),
            resourceArn, tagKeys);
    }

    /// <summary>Runs <paramref name="action"/> under the state lock with a fresh context (after any due scheduled work).</summary>
    public T Run<T>(string? region, Func<OperationContext, T> action, string? resourceArn = null, IReadOnlyList<string>? tagKeys = null)
    {
        lock (State.Gate)
        {
            var context = NewContext(region, resourceArn, tagKeys);
            State.RunDue(context);
            return action(context);
        }
    }

    /// <summary>Applies scheduled transitions that are due (composition start/stop, auto-stop, cleanup).</summary>
    public void RunScheduled() => Run<object?>(null, _ => null);

    /// <summary>Completes once the recording writes queued so far are written and announced (at once without a writer).</summary>
    public Task FlushRecordingsAsync(CancellationToken cancellationToken = default) =>
        Recordings?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose()
    {
        _scheduler.Dispose();
        TokenSigner.Dispose();
    }

    /// <summary>Stops the scheduler, then lets the recording queue write what it holds (briefly) before the rest goes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        if (Recordings is not null)
        {
            await Recordings.DisposeAsync();
        }

        TokenSigner.Dispose();
    }

    private OperationContext NewContext(string? region, string? resourceArn, IReadOnlyList<string>? tagKeys) => new()
    {
        State = State,
        Options = Options,
        Region = region ?? Options.Region,
        Now = Time.GetUtcNow(),
        Events = Events,
        Pages = _pages,
        TokenSigner = TokenSigner,
        Recordings = Recordings,
        ResourceArn = resourceArn,
        TagKeys = tagKeys ?? [],
    };
}
