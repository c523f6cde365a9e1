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
public sealed class IvsRealTimeEmulator : IDisposable
{
    private readonly OperationTable _operations = OperationTable.CreateDefault();
    private readonly PageTokens _pages = new();
    private readonly ITimer _scheduler;

    /// <param name="recordings">Where recordings are written (the local host's S3 server); null writes none.</param>
    public IvsRealTimeEmulator(
        EmulatorOptions options, TimeProvider? time = null, IIvsEventSink? events = null, IRecordingWriter? recordings = null)
    {
        Recordings = recordings;
        options.Validate();
        Options = options;
        Time = time ?? TimeProvider.System;
        Events = events ?? new ChannelEventSink();
        _scheduler = Time.CreateTimer(_ => RunScheduled(), null, options.SchedulerInterval, options.SchedulerInterval);
    }

    public EmulatorOptions Options { get; }
    public TimeProvider Time { get; }
    public IIvsEventSink Events { get; }
    public IRecordingWriter? Recordings { get; }
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

    public void Dispose()
    {
        _scheduler.Dispose();
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
