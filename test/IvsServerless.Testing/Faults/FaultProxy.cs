using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IvsServerless.Testing.Faults;

/// <summary>One request the proxy saw: its number, operation, the fault applied, and the status the client got (null when the
/// connection was dropped).</summary>
public sealed record FaultRecord(long Sequence, string Operation, FaultKind Kind, int? Status, TimeSpan Delay);

/// <summary>
/// A reverse proxy on 127.0.0.1 (Kestrel, in process) between a client and a real service endpoint (DynamoDB Local, the IVS
/// emulator) that injects the faults a <see cref="FaultSchedule"/> picks: the service's own throttling error, 500, 503, a
/// connection dropped before forwarding, a request forwarded (and applied) whose answer is dropped, a bounded delay. The
/// client is pointed at <see cref="ServiceUrl"/>; the <c>Host</c> header is forwarded as the client signed it. Every request
/// is logged (<see cref="Log"/>) for assertions.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly WebApplication _app;
    private readonly Uri _upstream;
    private readonly FaultFlavour _flavour;
    private readonly HttpClient _forward = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly ConcurrentQueue<FaultRecord> _log = new();
    private long _sequence = -1;

    private FaultProxy(WebApplication app, Uri upstream, FaultFlavour flavour, FaultSchedule schedule)
    {
        _app = app;
        _upstream = upstream;
        _flavour = flavour;
        Schedule = schedule;
    }

    /// <summary>What to do with the next requests; set <see cref="FaultSchedule.None"/> to stop the faults.</summary>
    public FaultSchedule Schedule { get; set; }

    /// <summary>For the client's endpoint, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string ServiceUrl => _app.Services.GetRequiredService<IServer>().Features
        .GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');

    /// <summary>Every request so far, in the order they were decided.</summary>
    public IReadOnlyList<FaultRecord> Log => [.. _log.OrderBy(r => r.Sequence)];

    /// <summary>Requests that got a fault (anything but <see cref="FaultKind.None"/>).</summary>
    public IReadOnlyList<FaultRecord> Faults => [.. Log.Where(r => r.Kind != FaultKind.None)];

    /// <summary>Starts a proxy to <paramref name="upstream"/> on a free port of 127.0.0.1.</summary>
    public static async Task<FaultProxy> StartAsync(string upstream, FaultFlavour flavour, FaultSchedule? schedule = null)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new FaultProxy(app, new Uri(upstream.TrimEnd('/') + "/"), flavour, schedule ?? FaultSchedule.None);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var operation = _flavour.Operation(context.Request.Path.Value ?? "/", context.Request.Headers, body);
        var sequence = Interlocked.Increment(ref _sequence);
        var fault = Schedule.Decide(sequence, operation);
        switch (fault.Kind)
        {
            case FaultKind.Throttle or FaultKind.InternalError or FaultKind.Unavailable:
                var error = _flavour.Error(fault.Kind, fault.Variant);
                _log.Enqueue(new FaultRecord(sequence, operation, fault.Kind, error.Status, default));
                context.Response.StatusCode = error.Status;
                context.Response.ContentType = error.ContentType;
                context.Response.Headers["x-amzn-ErrorType"] = error.ErrorType;
                context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                await context.Response.WriteAsync(error.Body, context.RequestAborted);
                return;
            case FaultKind.DropBeforeForward:
                _log.Enqueue(new FaultRecord(sequence, operation, fault.Kind, null, default));
                context.Abort();
                return;
            case FaultKind.Delay:
                await Task.Delay(fault.Delay, context.RequestAborted);
                break;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method),
            new Uri(_upstream, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString.Value))
        {
            Content = new ByteArrayContent(body),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _forward.SendAsync(request, context.RequestAborted);
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (fault.Kind == FaultKind.DropAfterForward)
        {
            _log.Enqueue(new FaultRecord(sequence, operation, fault.Kind, null, default));
            context.Abort();
            return;
        }

        _log.Enqueue(new FaultRecord(sequence, operation, fault.Kind, (int)response.StatusCode, fault.Delay));
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }
}

/// <summary>An injected error answer: status, <c>x-amzn-ErrorType</c>, body.</summary>
public sealed record InjectedError(int Status, string ErrorType, string ContentType, string Body);

/// <summary>How a service names its operations and words its errors (the proxy's "flavour").</summary>
public abstract class FaultFlavour
{
    /// <summary>
    /// DynamoDB (AWS JSON 1.0): the operation is the <c>X-Amz-Target</c> suffix; throttling is 400
    /// <c>ProvisionedThroughputExceededException</c> or <c>ThrottlingException</c> (variant 1), 500 <c>InternalServerError</c>,
    /// 503 <c>ServiceUnavailable</c>, with <c>__type</c> bodies as the service sends them.
    /// </summary>
    public static FaultFlavour DynamoDb { get; } = new DynamoDbFlavour();

    /// <summary>
    /// IVS real-time (restJson1): the operation is the path (<c>/CreateStage</c> → <c>CreateStage</c>). The botocore model
    /// declares no throttling shape; the service front end answers 429 with <c>x-amzn-ErrorType: ThrottlingException</c>.
    /// 500 is the model's <c>InternalServerException</c>; 503 <c>ServiceUnavailableException</c> (front end).
    /// </summary>
    public static FaultFlavour Ivs { get; } = new IvsFlavour();

    public abstract string Operation(string path, IHeaderDictionary headers, byte[] body);

    public abstract InjectedError Error(FaultKind kind, int variant);

    private sealed class DynamoDbFlavour : FaultFlavour
    {
        private const string Json = "application/x-amz-json-1.0";

        public override string Operation(string path, IHeaderDictionary headers, byte[] body)
        {
            var target = headers["X-Amz-Target"].ToString();
            var dot = target.LastIndexOf('.');
            return dot < 0 ? "Unknown" : target[(dot + 1)..];
        }

        public override InjectedError Error(FaultKind kind, int variant) => kind switch
        {
            FaultKind.Throttle when variant == 1 => Make(400, "com.amazon.coral.availability#ThrottlingException",
                "Rate of requests exceeds the allowed throughput."),
            FaultKind.Throttle => Make(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded."),
            FaultKind.InternalError => Make(500, "com.amazonaws.dynamodb.v20120810#InternalServerError",
                "The server encountered an internal error trying to fulfill the request."),
            _ => Make(503, "com.amazon.coral.availability#ServiceUnavailableException", "Service unavailable."),
        };

        private static InjectedError Make(int status, string type, string message) =>
            new(status, type[(type.IndexOf('#') + 1)..], Json,
                $$"""{"__type":"{{type}}","message":"{{message}} (injected)"}""");
    }

    private sealed class IvsFlavour : FaultFlavour
    {
        public override string Operation(string path, IHeaderDictionary headers, byte[] body) =>
            path.Trim('/') is { Length: > 0 } name ? name : "Unknown";

        public override InjectedError Error(FaultKind kind, int variant) => kind switch
        {
            FaultKind.Throttle => Make(429, "ThrottlingException", "Rate exceeded"),
            FaultKind.InternalError => Make(500, "InternalServerException", "Unexpected error during processing of request."),
            _ => Make(503, "ServiceUnavailableException", "Service unavailable."),
        };

        private static InjectedError Make(int status, string type, string message) =>
            new(status, type, "application/json", $$"""{"exceptionMessage":"{{message}} (injected)"}""");
    }
}
