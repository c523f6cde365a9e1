using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace IvsServerless.LocalHost.Tests.Support;

/// <summary>An app's live-updates connection: a real <see cref="ClientWebSocket"/>, every message kept in arrival order.</summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];
    private Task _receiving = Task.CompletedTask;

    public IReadOnlyList<JsonElement> Seen => _seen;

    public static async Task<LiveClient> ConnectAsync(Uri liveUrl, string token)
    {
        var client = new LiveClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._socket.ConnectAsync(new Uri(liveUrl, "?token=" + Uri.EscapeDataString(token)), timeout.Token);
        client._receiving = client.ReceiveAsync();
        return client;
    }

    public async Task SendAsync(string frame)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>Subscribes and returns the reply (subscribed or error).</summary>
    public async Task<JsonElement> SubscribeAsync(string stageId)
    {
        await SendAsync($$"""{"action":"subscribe","stageId":"{{stageId}}"}""");
        return await NextAsync(m => m.GetProperty("type").GetString() is "subscribed" or "error", "the subscribe reply");
    }

    /// <summary>The next message (in arrival order, skipping others) that matches.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(deadline.Token);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No message within the timeout: {what}. Seen: {string.Join(" | ", _seen.Select(m => m.GetRawText()))}");
            throw;
        }
    }

    public Task<JsonElement> NextOfTypeAsync(string type, string? stageId = null, TimeSpan? timeout = null) =>
        NextAsync(m => m.GetProperty("type").GetString() == type
            && (stageId is null || (m.TryGetProperty("stageId", out var s) && s.GetString() == stageId)), type, timeout);

    /// <summary>Whether a message matching arrives within <paramref name="wait"/> (a negative check: after a positive one).</summary>
    public async Task<bool> ArrivesWithinAsync(Func<JsonElement, bool> match, TimeSpan wait)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < wait)
        {
            using var slice = new CancellationTokenSource(wait - clock.Elapsed);
            try
            {
                if (match(await _messages.Reader.ReadAsync(slice.Token)))
                {
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
        await _receiving;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    var json = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                    message.SetLength(0);
                    lock (_seen)
                    {
                        _seen.Add(json);
                    }

                    await _messages.Writer.WriteAsync(json);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
