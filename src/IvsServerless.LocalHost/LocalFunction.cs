using IvsServerless.Lambda.Runtime;

namespace IvsServerless.LocalHost;

/// <summary>
/// One Lambda function run in-process: the same handler object the bootstrap executable hosts, invoked with
/// what Lambda gives each invocation — a request id, a deadline (the function timeout) and a JSON logger stamped
/// with the request id — so handlers cannot tell the local host from Lambda.
/// </summary>
public sealed class LocalFunction(string name, ILambdaHandler handler, TimeSpan timeout, Stream logOutput, TimeProvider time)
    : ILambdaHandler
{
    private static readonly AsyncLocal<string?> Running = new();

    private long _invocations;

    public string Name { get; } = name;

    /// <summary>How many times this function was invoked (Lambda's invocation count; the live benchmark reports it).</summary>
    public long Invocations => Interlocked.Read(ref _invocations);

    /// <summary>
    /// The function whose invocation the calling code runs in (null outside one), flowing with the async calls it makes:
    /// lets a benchmark attribute the AWS requests it counts to the function that made them.
    /// </summary>
    public static string? Current => Running.Value;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Invokes the handler; the incoming context's request id is kept when it has one (the bus sets its own).</summary>
    /// <exception cref="TimeoutException">The handler ran past the function timeout (Lambda would stop it).</exception>
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        var requestId = string.IsNullOrEmpty(context?.AwsRequestId) ? Guid.NewGuid().ToString() : context.AwsRequestId;
        return await InvokeAsync(payload, requestId, ct);
    }

    public async Task<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, string requestId, CancellationToken ct)
    {
        Interlocked.Increment(ref _invocations);
        Running.Value = Name;
        var logger = new LambdaJsonLogger(logOutput, timeProvider: time);
        logger.SetInvocation(requestId, null);
        var invocation = new LambdaContext
        {
            AwsRequestId = requestId,
            FunctionName = Name,
            InvokedFunctionArn = $"arn:aws:lambda:local:000000000000:function:{Name}",
            MemoryLimitInMB = 512,
            Deadline = time.GetUtcNow() + Timeout,
            Logger = logger,
            TimeProvider = time,
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        try
        {
            return await handler.HandleAsync(payload, invocation, deadline.Token).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Lambda's own words for a timeout, in the function's log.
            logger.Log(LambdaLogLevel.Error, $"Task timed out after {Timeout.TotalSeconds:0.00} seconds");
            throw new TimeoutException($"Function {Name} timed out after {Timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What the runtime reports for an unhandled error; the caller (front, bus) decides what the client sees.
            ((ILambdaLogger)logger).Log(LambdaLogLevel.Error, e, "Invocation failed");
            throw;
        }
    }
}
