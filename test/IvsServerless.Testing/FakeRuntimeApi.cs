using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace IvsServerless.Testing;

/// <summary>What the runtime posted for one invocation (or for init).</summary>
public sealed record PostedResult(string Kind, byte[] Body, string? ErrorTypeHeader, string? ContentType)
{
    /// <summary>
    /// <see cref="Stopwatch.GetTimestamp"/> when the post had been read in full, before it is answered: benchmarks
    /// time "until the response is posted" from here rather than from whenever a continuation gets to run.
    /// </summary>
    public long ReceivedTimestamp { get; init; } = Stopwatch.GetTimestamp();
}

/// <summary>
/// A Runtime API 2018-06-01 stand-in on 127.0.0.1: /next long-polls a queue of invocations,
/// /response, /error and /init/error are recorded and answered 202.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);
    private const string Prefix = "/2018-06-01/runtime/";

    private readonly HttpListener _listener;
    private readonly Channel<QueuedInvocation> _queue = Channel.CreateUnbounded<QueuedInvocation>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PostedResult>> _results = new();
    private readonly TaskCompletionSource<PostedResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _nextCalls;

    private FakeRuntimeApi(HttpListener listener, int port)
    {
        _listener = listener;
        Address = $"127.0.0.1:{port}";
        _serving = ServeAsync();
    }

    /// <summary>host:port, as in AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; }

    public int NextCalls => Volatile.Read(ref _nextCalls);

    public ConcurrentQueue<string> UnexpectedRequests { get; } = new();

    public static FakeRuntimeApi Start()
    {
        // A free port can be taken between probing and binding; try a few.
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeRuntimeApi(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public string Enqueue(
        byte[] payload, string? requestId = null, DateTimeOffset? deadline = null,
        string? functionArn = "arn:aws:lambda:us-east-1:123456789012:function:test", string? traceId = null)
    {
        requestId ??= Guid.NewGuid().ToString();
        _results.GetOrAdd(requestId, NewResult);
        var deadlineMs = (deadline ?? DateTimeOffset.UtcNow.AddMinutes(5)).ToUnixTimeMilliseconds();
        if (!_queue.Writer.TryWrite(new QueuedInvocation(requestId, payload, deadlineMs, functionArn, traceId)))
        {
            throw new InvalidOperationException("queue closed");
        }

        return requestId;
    }

    public Task<PostedResult> WaitForResultAsync(string requestId) =>
        _results.GetOrAdd(requestId, NewResult).Task.WaitAsync(WaitLimit);

    public Task<PostedResult> WaitForInitErrorAsync() => _initError.Task.WaitAsync(WaitLimit);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource<PostedResult> NewResult(string _) => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url!.AbsolutePath;
            if (request.HttpMethod == "GET" && path == Prefix + "invocation/next")
            {
                Interlocked.Increment(ref _nextCalls);
                var next = await _queue.Reader.ReadAsync(_stop.Token);
                response.StatusCode = 200;
                response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
                response.Headers["Lambda-Runtime-Deadline-Ms"] = next.DeadlineMs.ToString(CultureInfo.InvariantCulture);
                if (next.FunctionArn is not null)
                {
                    response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = next.FunctionArn;
                }

                if (next.TraceId is not null)
                {
                    response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
                }

                response.ContentType = "application/json";
                response.ContentLength64 = next.Payload.Length;
                await response.OutputStream.WriteAsync(next.Payload);
                response.Close();
                return;
            }

            if (request.HttpMethod == "POST" && path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                using var body = new MemoryStream();
                await request.InputStream.CopyToAsync(body);
                var posted = (string kind) => new PostedResult(
                    kind, body.ToArray(), request.Headers["Lambda-Runtime-Function-Error-Type"], request.ContentType);
                var parts = path[Prefix.Length..].Split('/');
                TaskCompletionSource<PostedResult>? target = null;
                PostedResult? result = null;
                if (parts is ["init", "error"])
                {
                    (target, result) = (_initError, posted("init-error"));
                }
                else if (parts is ["invocation", var id, "response" or "error"])
                {
                    (target, result) = (_results.GetOrAdd(Uri.UnescapeDataString(id), NewResult), posted(parts[2]));
                }

                if (target is not null && target.TrySetResult(result!))
                {
                    response.StatusCode = 202;
                    response.Close();
                    return;
                }
            }

            UnexpectedRequests.Enqueue($"{request.HttpMethod} {path}");
            response.StatusCode = 400;
            response.Close();
        }
        catch (Exception)
        {
            // Shutting down mid-request: drop the connection like a dying Runtime API would.
            response.Abort();
        }
    }

    private sealed record QueuedInvocation(string RequestId, byte[] Payload, long DeadlineMs, string? FunctionArn, string? TraceId);
}
