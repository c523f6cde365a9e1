using System.Text;
using System.Text.Json;

// The runtime sets _X_AMZN_TRACE_ID and some tests set AWS_* variables: both are process-wide.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace IvsServerless.Lambda.Runtime.Tests;

public sealed class DelegateHandler(Func<ReadOnlyMemory<byte>, ILambdaContext, CancellationToken, Task<ReadOnlyMemory<byte>>> handle)
    : ILambdaHandler
{
    public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct) =>
        handle(payload, context, ct);

    public static DelegateHandler Echo() => new((payload, _, _) => Task.FromResult(payload));

    public static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>A thread-safe stdout stand-in that splits what the logger writes into lines.</summary>
public sealed class CapturedLogStream : Stream
{
    private readonly MemoryStream _bytes = new();
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                var text = Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
                return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    /// <summary>Every line parsed as JSON; throws if one is not a JSON object.</summary>
    public IReadOnlyList<JsonElement> Entries =>
    [
        .. Lines.Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            return doc.RootElement.Clone();
        }),
    ];

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            _bytes.Write(buffer);
        }
    }
}

/// <summary>A fake Runtime API plus the runtime loop running against it.</summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private RuntimeHarness(LambdaHandlerRegistry registry, string? handler, LambdaLogLevel level, TimeSpan? deadlineMargin)
    {
        Api = FakeRuntimeApi.Start();
        Options = new LambdaRuntimeOptions
        {
            RuntimeApi = Api.Address,
            Handler = handler,
            FunctionName = "ivs-test",
            FunctionVersion = "7",
            MemoryLimitInMB = 512,
            LogGroupName = "/aws/lambda/ivs-test",
            LogStreamName = "2025/01/01/[7]abc",
            MinimumLogLevel = level,
            DeadlineMargin = deadlineMargin ?? TimeSpan.FromMilliseconds(500),
            LogOutput = Log,
        };
        Run = Task.Run(() => LambdaRuntime.RunAsync(registry, Options, _stop.Token));
    }

    public FakeRuntimeApi Api { get; }
    public CapturedLogStream Log { get; } = new();
    public LambdaRuntimeOptions Options { get; }
    public Task<int> Run { get; }

    public static RuntimeHarness Start(
        ILambdaHandler handler, LambdaLogLevel level = LambdaLogLevel.Information, TimeSpan? deadlineMargin = null) =>
        new(new LambdaHandlerRegistry().Add("test", () => handler), "test", level, deadlineMargin);

    public static RuntimeHarness Start(LambdaHandlerRegistry registry, string? handler) =>
        new(registry, handler, LambdaLogLevel.Information, null);

    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Run.WaitAsync(FakeRuntimeApi.WaitLimit);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await StopAsync();
        }

        await Api.DisposeAsync();
        _stop.Dispose();
        await Log.DisposeAsync();
    }
}
