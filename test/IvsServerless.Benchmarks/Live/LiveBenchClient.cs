using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace IvsServerless.Benchmarks.Live;

/// <summary>One app connection to the live-updates WebSocket: every message stamped with the time it was read off the socket.</summary>
public sealed class LiveBenchClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<Received> _messages =
        Channel.CreateUnbounded<Received>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private Task _receiving = Task.CompletedTask;

    private LiveBenchClient()
    {
    }

    /// <summary>A message as received: its <see cref="Stopwatch.GetTimestamp"/> when its last byte was read, and what it says.</summary>
    public readonly record struct Received(long Timestamp, string Type, string? ParticipantId, long Version, string? Code);

    public static async Task<LiveBenchClient> ConnectAsync(Uri liveUrl, string token, CancellationToken cancellationToken)
    {
        var client = new LiveBenchClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await client._socket.ConnectAsync(new Uri(liveUrl, "?token=" + Uri.EscapeDataString(token)), timeout.Token);
        client._receiving = Task.Run(client.ReceiveAsync, CancellationToken.None);
        return client;
    }

    /// <summary>Subscribes to the stage and returns its live version; throws when the answer is an error.</summary>
    public async Task<long> SubscribeAsync(string stageId, CancellationToken cancellationToken)
    {
        var frame = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["action"] = "subscribe",
            ["stageId"] = stageId,
        }));
        await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var answer = await WaitForAsync(m => m.Type is "subscribed" or "error", TimeSpan.FromSeconds(30), cancellationToken)
            ?? throw new TimeoutException($"No answer to subscribe {stageId}.");
        return answer.Type == "subscribed" ? answer.Version : throw new InvalidOperationException($"subscribe refused: {answer.Code}");
    }

    /// <summary>The next message that matches (others are skipped), or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<Received?> WaitForAsync(Func<Received, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
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
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var at = Stopwatch.GetTimestamp();
                _messages.Writer.TryWrite(Parse(at, message.GetBuffer().AsSpan(0, (int)message.Length)));
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Aborted by DisposeAsync, or the server went away.
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    private static Received Parse(long at, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : -1;
        return new Received(at, Text("type") ?? "", Text("participantId"), version, Text("code"));
    }
}
