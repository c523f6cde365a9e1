using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Lambda;

/// <summary>
/// <c>bootstrap invoke &lt;handler&gt; &lt;event.json | -&gt;</c>: runs one handler once on a file (or stdin), configured by
/// the same environment variables as in Lambda (TABLE_NAME, DYNAMODB_ENDPOINT, IVS_ENDPOINT, ...). The result goes to
/// stdout, the handler's JSON log lines to stderr; exit code 0 on success, 1 when the handler (or its init) fails, as
/// Lambda would report an error, 2 for bad usage.
/// </summary>
public static class LocalInvoke
{
    public const string Command = "invoke";

    /// <summary>How long the handler may run (its context's deadline), as a generous Lambda timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, LambdaHandlerRegistry registry, Stream stdin, Stream stdout, Stream stderr,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(registry);
        using var errors = new StreamWriter(stderr, leaveOpen: true) { AutoFlush = true };
        if (args.Count != 3 || args[0] != Command)
        {
            await errors.WriteLineAsync(
                $"usage: bootstrap {Command} <handler> <event.json | ->   (handlers: {string.Join(", ", registry.Names)})");
            return 2;
        }

        if (!registry.TryGetFactory(args[1], out var factory))
        {
            await errors.WriteLineAsync($"unknown handler '{args[1]}'; known: {string.Join(", ", registry.Names)}");
            return 2;
        }

        byte[] payload;
        try
        {
            payload = args[2] == "-" ? await ReadAllAsync(stdin, ct) : await File.ReadAllBytesAsync(args[2], ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"cannot read '{args[2]}': {e.Message}");
            return 2;
        }

        var logger = new LambdaJsonLogger(stderr);
        try
        {
            var handler = factory();
            var requestId = "local-" + Guid.NewGuid().ToString("N");
            logger.SetInvocation(requestId, null);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(Timeout);
            var context = new LambdaContext
            {
                AwsRequestId = requestId,
                FunctionName = args[1],
                Deadline = DateTimeOffset.UtcNow.Add(Timeout),
                Logger = logger,
            };
            var result = await handler.HandleAsync(payload, context, deadline.Token);
            await stdout.WriteAsync(result, ct);
            await stdout.WriteAsync("\n"u8.ToArray(), ct);
            await stdout.FlushAsync(ct);
            return 0;
        }
        catch (Exception e)
        {
            // What Lambda would record as the invocation (or init) error; the local caller sees it on stderr.
            ((ILambdaLogger)logger).Log(LambdaLogLevel.Error, e, "Invocation failed");
            return 1;
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
