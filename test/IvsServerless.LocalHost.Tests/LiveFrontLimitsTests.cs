using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using IvsServerless.Lambda.Runtime;
using IvsServerless.LocalHost.Live;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// The local live front closes connections as API Gateway does: at the maximum connection duration and after the idle
/// timeout (both shortened here), with 1001 "Going away", and sends <c>$disconnect</c> for them. Stub functions stand in
/// for the authorizer (allows any token) and the routes (answer 200, record the route keys).
/// </summary>
public sealed class LiveFrontLimitsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_connection_its_client_sends_nothing_on_is_closed_after_the_idle_timeout()
    {
        var routes = new RecordingRoutes();
        await using var front = await StartAsync(new LiveFrontLimits(TimeSpan.FromHours(2), TimeSpan.FromMilliseconds(300)), routes);
        using var client = await ConnectAsync(front);

        var close = await ReceiveCloseAsync(client);

        Assert.Equal((WebSocketCloseStatus.EndpointUnavailable, "Going away"), close);
        await routes.WaitForAsync("$disconnect");
        Assert.Equal(0, front.ConnectionCount);
    }

    [Fact]
    public async Task A_connection_is_closed_at_the_maximum_duration_even_while_its_client_talks()
    {
        var routes = new RecordingRoutes();
        await using var front = await StartAsync(new LiveFrontLimits(TimeSpan.FromMilliseconds(500), TimeSpan.FromHours(1)), routes);
        using var client = await ConnectAsync(front);
        await client.SendAsync("""{"action":"ping"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);

        var close = await ReceiveCloseAsync(client);

        Assert.Equal((WebSocketCloseStatus.EndpointUnavailable, "Going away"), close);
        await routes.WaitForAsync("$disconnect");
        Assert.Contains("$default", routes.Keys);
    }

    [Fact]
    public void The_defaults_are_API_Gateway_s_limits_and_the_options_refuse_non_positive_ones()
    {
        var options = LocalHostOptions.OnFreePorts();
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromMinutes(10)), (options.LiveMaxConnectionDuration, options.LiveIdleTimeout));

        var refused = Assert.Throws<ArgumentException>(() => (options with { LiveIdleTimeout = TimeSpan.Zero }).Validate());
        Assert.Contains("LiveIdleTimeout", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<LiveFrontServer> StartAsync(LiveFrontLimits limits, RecordingRoutes routes)
    {
        var authorizer = new LocalFunction("live-authorizer", new AllowAll(), TimeSpan.FromSeconds(10), Stream.Null, TimeProvider.System);
        var functions = new LocalFunction("live-connections", routes, TimeSpan.FromSeconds(10), Stream.Null, TimeProvider.System);
        var front = LiveFrontServer.Create(0, authorizer, functions, "123456789012", limits);
        await front.StartAsync(CancellationToken.None);
        return front;
    }

    private static async Task<ClientWebSocket> ConnectAsync(LiveFrontServer front)
    {
        var client = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Wait);
        await client.ConnectAsync(new Uri(front.WebSocketUrl, "?token=any"), timeout.Token);
        return client;
    }

    /// <summary>Reads until the server's close frame (skipping messages) and answers it; fails when none comes in time.</summary>
    private static async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync(ClientWebSocket client)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[4096];
        while (true)
        {
            var received = await client.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                // Answered as browsers and SDKs do, so the server's receive ends at once (not at its abort a few seconds on).
                await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return (received.CloseStatus, received.CloseStatusDescription);
            }
        }
    }

    private sealed class AllowAll : ILambdaHandler
    {
        public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct) =>
            Task.FromResult<ReadOnlyMemory<byte>>("""
                {"principalId":"u1","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke",
                "Effect":"Allow","Resource":"*"}]},"context":{"userId":"u1"}}
                """u8.ToArray());
    }

    private sealed class RecordingRoutes : ILambdaHandler
    {
        private readonly ConcurrentQueue<string> _keys = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public IReadOnlyCollection<string> Keys => _keys;

        public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
        {
            using var request = JsonDocument.Parse(payload);
            _keys.Enqueue(request.RootElement.GetProperty("requestContext").GetProperty("routeKey").GetString()!);
            _arrived.Release();
            return Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes("""{"statusCode":200}"""));
        }

        public async Task WaitForAsync(string routeKey)
        {
            using var timeout = new CancellationTokenSource(Wait);
            while (!_keys.Contains(routeKey))
            {
                await _arrived.WaitAsync(timeout.Token);
            }
        }
    }
}
