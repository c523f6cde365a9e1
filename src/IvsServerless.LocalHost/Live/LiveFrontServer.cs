using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IvsServerless.LocalHost.Live;

/// <summary>
/// The local stand-in for the live-updates API Gateway WebSocket API: <c>GET /?token=…</c> upgrades to a WebSocket after
/// the <c>$connect</c> authorizer function allowed it (no token: 401, refused: 403, as API Gateway answers), gives the
/// connection an API-Gateway-like id, and sends <c>$connect</c>, every message (<c>$default</c>, whose response body goes
/// back on the connection) and <c>$disconnect</c> to the routes function. <c>POST /@connections/{id}</c> is the
/// management API the notifier posts to (410 for a connection that is gone; signatures are not checked locally).
/// Like API Gateway it closes a connection (1001, "Going away") at its maximum duration and when it was idle too long
/// (<see cref="LiveFrontLimits"/>); <c>$disconnect</c> follows as for any close.
/// </summary>
public sealed class LiveFrontServer : IAsyncDisposable
{
    /// <summary>API Gateway's WebSocket message limit: a larger message closes the connection (1009).</summary>
    public const int MaxMessageBytes = 128 * 1024;

    public const string StageName = "local";

    private readonly WebApplication _app;
    private readonly LocalFunction _authorizer;
    private readonly LocalFunction _routes;
    private readonly string _accountId;
    private readonly LiveFrontLimits _limits;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    private LiveFrontServer(
        WebApplication app, LocalFunction authorizer, LocalFunction routes, string accountId, LiveFrontLimits limits, TimeProvider time)
    {
        _app = app;
        _authorizer = authorizer;
        _routes = routes;
        _accountId = accountId;
        _limits = limits;
        _time = time;
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(HandleAsync);
    }

    public Uri BaseAddress => LocalUrls.BoundAddress(_app);

    /// <summary>Where clients connect: <c>ws://127.0.0.1:port/</c> (add <c>?token=</c> and the user's JWT).</summary>
    public Uri WebSocketUrl => new UriBuilder(BaseAddress) { Scheme = "ws" }.Uri;

    /// <summary>The open connections (for tests and the benchmark).</summary>
    public int ConnectionCount => _connections.Count;

    public static LiveFrontServer Create(int port, LocalFunction authorizer, LocalFunction routes, string accountId,
        LiveFrontLimits? limits = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", LocalUrls.Loopback(port)]);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxMessageBytes);
        return new LiveFrontServer(
            builder.Build(), authorizer, routes, accountId, limits ?? LiveFrontLimits.ApiGateway, time ?? TimeProvider.System);
    }

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var connection in _connections.Values)
        {
            connection.Socket.Abort();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.StartsWith("/@connections/", StringComparison.Ordinal))
        {
            await ManageAsync(http, Uri.UnescapeDataString(path["/@connections/".Length..]));
            return;
        }

        if (path != "/" || !http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            await http.Response.WriteAsync("""{"message":"Connect with a WebSocket to /?token=<user JWT>"}""");
            return;
        }

        await ConnectAsync(http);
    }

    private async Task ConnectAsync(HttpContext http)
    {
        var token = http.Request.Query["token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            // The identity source (route.request.querystring.token) is missing: API Gateway answers without the authorizer.
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var connectionId = NewConnectionId();
        var userId = await AuthorizeAsync(token, connectionId, http.RequestAborted);
        if (userId is null)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var connect = await _routes.InvokeAsync(RouteEvent("$connect", "CONNECT", connectionId, userId, null), Guid.NewGuid().ToString(),
            http.RequestAborted);
        if (StatusOf(connect) is not (>= 200 and < 300))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var connection = new Connection(socket, _time);
        _connections[connectionId] = connection;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var watch = WatchAsync(connection, ended.Token);
        try
        {
            await ReceiveLoopAsync(connectionId, userId, connection, _stopping.Token);
        }
        finally
        {
            await ended.CancelAsync();
            await watch;
            _connections.TryRemove(connectionId, out _);
            await _routes.InvokeAsync(RouteEvent("$disconnect", "DISCONNECT", connectionId, userId, null), Guid.NewGuid().ToString(),
                CancellationToken.None);
        }
    }

    private async Task ReceiveLoopAsync(string connectionId, string userId, Connection connection, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (connection.Socket.State == WebSocketState.Open)
            {
                var received = await connection.Socket.ReceiveAsync(buffer, ct);
                connection.Active();
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (connection.Socket.State == WebSocketState.CloseReceived)
                    {
                        await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    }

                    return;
                }

                message.Write(buffer, 0, received.Count);
                if (message.Length > MaxMessageBytes)
                {
                    await connection.Socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "Message too big", ct);
                    return;
                }

                if (!received.EndOfMessage)
                {
                    continue;
                }

                var body = message.ToArray();
                message.SetLength(0);
                var reply = await _routes.InvokeAsync(
                    RouteEvent("$default", "MESSAGE", connectionId, userId, body), Guid.NewGuid().ToString(), ct);
                if (BodyOf(reply) is { } text)
                {
                    await connection.SendAsync(Encoding.UTF8.GetBytes(text), ct);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or the host stops: $disconnect follows.
        }
    }

    /// <summary>
    /// Closes the connection like API Gateway once it is older than its maximum duration or its client sent nothing for the
    /// idle timeout (1001, "Going away"); a client that does not answer the close within a few seconds is cut.
    /// </summary>
    private async Task WatchAsync(Connection connection, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var idleLeft = _limits.IdleTimeout - _time.GetElapsedTime(connection.LastActivity);
                var durationLeft = _limits.MaxConnectionDuration - _time.GetElapsedTime(connection.ConnectedAt);
                if (idleLeft <= TimeSpan.Zero || durationLeft <= TimeSpan.Zero)
                {
                    break;
                }

                await Task.Delay(idleLeft < durationLeft ? idleLeft : durationLeft, _time, ct);
            }

            await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Going away", ct);
            await Task.Delay(TimeSpan.FromSeconds(5), _time, ct);
            connection.Socket.Abort();
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection ended first (or the close could not be sent: the receive loop sees it).
        }
    }

    private async Task ManageAsync(HttpContext http, string connectionId)
    {
        if (!_connections.TryGetValue(connectionId, out var connection) || connection.Socket.State != WebSocketState.Open)
        {
            http.Response.StatusCode = StatusCodes.Status410Gone;
            return;
        }

        switch (http.Request.Method)
        {
            case "POST":
                using (var body = new MemoryStream())
                {
                    await http.Request.Body.CopyToAsync(body, http.RequestAborted);
                    try
                    {
                        await connection.SendAsync(body.ToArray(), http.RequestAborted);
                    }
                    catch (WebSocketException)
                    {
                        http.Response.StatusCode = StatusCodes.Status410Gone;
                        return;
                    }
                }

                http.Response.StatusCode = StatusCodes.Status200OK;
                return;
            case "DELETE":
                await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "Closed by the backend", http.RequestAborted);
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            default:
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
        }
    }

    /// <summary>The REQUEST authorizer event API Gateway sends for <c>$connect</c>; the user when its policy allows.</summary>
    private async Task<string?> AuthorizeAsync(string token, string connectionId, CancellationToken ct)
    {
        var request = new JsonObject
        {
            ["type"] = "REQUEST",
            ["methodArn"] = $"arn:aws:execute-api:local:{_accountId}:live/{StageName}/$connect",
            ["queryStringParameters"] = new JsonObject { ["token"] = token },
            ["requestContext"] = new JsonObject
            {
                ["routeKey"] = "$connect",
                ["eventType"] = "CONNECT",
                ["connectionId"] = connectionId,
                ["stage"] = StageName,
                ["apiId"] = "live",
            },
        };
        var response = await _authorizer.InvokeAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), Guid.NewGuid().ToString(), ct);
        using var policy = JsonDocument.Parse(response);
        var root = policy.RootElement;
        var allowed = root.GetProperty("policyDocument").GetProperty("Statement").EnumerateArray()
            .All(s => s.GetProperty("Effect").GetString() == "Allow");
        return allowed && root.TryGetProperty("context", out var context) && context.TryGetProperty("userId", out var user)
            ? user.GetString()
            : null;
    }

    private byte[] RouteEvent(string routeKey, string eventType, string connectionId, string userId, byte[]? body)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var request = new JsonObject
        {
            ["requestContext"] = new JsonObject
            {
                ["routeKey"] = routeKey,
                ["eventType"] = eventType,
                ["connectionId"] = connectionId,
                ["requestTimeEpoch"] = now,
                ["domainName"] = BaseAddress.Authority,
                ["stage"] = StageName,
                ["apiId"] = "live",
                ["authorizer"] = new JsonObject { ["principalId"] = userId, ["userId"] = userId },
            },
            ["isBase64Encoded"] = false,
        };
        if (body is not null)
        {
            request["body"] = Encoding.UTF8.GetString(body);
        }

        return Encoding.UTF8.GetBytes(request.ToJsonString());
    }

    private static int StatusOf(ReadOnlyMemory<byte> response)
    {
        using var document = JsonDocument.Parse(response);
        return document.RootElement.TryGetProperty("statusCode", out var status) ? status.GetInt32() : 200;
    }

    private static string? BodyOf(ReadOnlyMemory<byte> response)
    {
        using var document = JsonDocument.Parse(response);
        return document.RootElement.TryGetProperty("body", out var body)
            && body.ValueKind == JsonValueKind.String ? body.GetString() : null;
    }

    /// <summary>Like API Gateway's: 12 base64 characters ending in '=' (e.g. <c>L0SM9cOFvHcCIhw=</c>).</summary>
    private static string NewConnectionId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(10));

    private sealed class Connection(WebSocket socket, TimeProvider time) : IDisposable
    {
        private readonly SemaphoreSlim _sending = new(1, 1);
        private long _lastActivity = time.GetTimestamp();

        public WebSocket Socket { get; } = socket;

        public long ConnectedAt { get; } = time.GetTimestamp();

        /// <summary>When the client last sent a frame (what the idle timeout counts from).</summary>
        public long LastActivity => Interlocked.Read(ref _lastActivity);

        public void Active() => Interlocked.Exchange(ref _lastActivity, time.GetTimestamp());

        /// <summary>Sends the close frame, after any message being sent.</summary>
        public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
        {
            await _sending.WaitAsync(ct);
            try
            {
                await Socket.CloseOutputAsync(status, reason, ct);
            }
            finally
            {
                _sending.Release();
            }
        }

        public void Dispose() => _sending.Dispose();

        /// <summary>One send at a time: a WebSocket allows no concurrent sends.</summary>
        public async Task SendAsync(byte[] message, CancellationToken ct)
        {
            await _sending.WaitAsync(ct);
            try
            {
                await Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
            }
            finally
            {
                _sending.Release();
            }
        }
    }
}

/// <summary>API Gateway's WebSocket connection limits, which the local live front applies too.</summary>
/// <param name="MaxConnectionDuration">A connection is closed this long after it opened, whatever it does.</param>
/// <param name="IdleTimeout">A connection its client sent no frame on for this long is closed.</param>
public sealed record LiveFrontLimits(TimeSpan MaxConnectionDuration, TimeSpan IdleTimeout)
{
    /// <summary>API Gateway's: 2 hours, 10 minutes (neither can be raised).</summary>
    public static LiveFrontLimits ApiGateway { get; } = new(TimeSpan.FromHours(2), TimeSpan.FromMinutes(10));
}
