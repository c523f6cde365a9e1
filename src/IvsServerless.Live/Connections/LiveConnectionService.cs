using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using IvsServerless.Core.Live;
using IvsServerless.Core.Stages;

namespace IvsServerless.Live.Connections;

/// <summary>
/// The three WebSocket routes over the stores. A frame the client gets wrong (not JSON, an unknown action, over
/// 32 KB, part of a burst, a stage it may not see) is answered with an <c>error</c> message and writes nothing; the
/// connection stays open. A subscription is allowed exactly when <c>GET /stages/{stageId}</c> would be, and a stage
/// the caller may not see answers like a missing one.
/// </summary>
public sealed partial class LiveConnectionService(
    ILiveConnectionStore connections, IStageStore stages, TimeProvider? time = null)
{
    /// <summary>API Gateway's WebSocket frame limit; larger messages are refused here too.</summary>
    public const int MaxFrameBytes = 32 * 1024;

    /// <summary>Stages one connection may follow at once.</summary>
    public const int MaxSubscriptions = 25;

    /// <summary>Frames a connection may send in a burst, then <see cref="FramesPerSecond"/>.</summary>
    public const int BurstFrames = 20;

    public const double FramesPerSecond = 10;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    public async Task ConnectAsync(string connectionId, string userId, CancellationToken ct) =>
        await connections.AddAsync(new LiveConnection(connectionId, userId, _time.GetUtcNow()), ct);

    public async Task DisconnectAsync(string connectionId, CancellationToken ct)
    {
        _buckets.TryRemove(connectionId, out _);
        await connections.RemoveAsync(connectionId, ct);
    }

    /// <summary>The answer to one frame from the client (sent back on the same connection).</summary>
    /// <param name="userId">The user <c>$connect</c> authenticated (API Gateway passes the authorizer's context on).</param>
    public async Task<LiveMessage> HandleFrameAsync(string connectionId, string userId, ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        if (frame.Length > MaxFrameBytes)
        {
            return new LiveError(LiveErrorCodes.FrameTooLarge, $"A frame is at most {MaxFrameBytes} bytes.");
        }

        if (!Bucket(connectionId).TryTake(_time.GetUtcNow()))
        {
            return new LiveError(LiveErrorCodes.TooManyRequests,
                $"At most {BurstFrames} frames at once and {FramesPerSecond:0} per second; slow down.");
        }

        LiveRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(frame.Span, LiveJsonContext.Default.LiveRequest);
        }
        catch (JsonException)
        {
            return new LiveError(LiveErrorCodes.InvalidJson, "A frame is a JSON object such as {\"action\":\"ping\"}.");
        }

        switch (request?.Action)
        {
            case "ping":
                return new Pong();
            case "subscribe" or "unsubscribe" when !IsStageId(request.StageId):
                return new LiveError(LiveErrorCodes.InvalidStageId, "stageId must be a stage id (12 letters or digits).");
            case "subscribe":
                return await SubscribeAsync(new LiveConnection(connectionId, userId, _time.GetUtcNow()), request.StageId!, ct);
            case "unsubscribe":
                await connections.UnsubscribeAsync(connectionId, request.StageId!, ct);
                return new Unsubscribed(request.StageId!);
            default:
                return new LiveError(LiveErrorCodes.UnknownAction, "action must be \"subscribe\", \"unsubscribe\" or \"ping\".");
        }
    }

    private async Task<LiveMessage> SubscribeAsync(LiveConnection connection, string stageId, CancellationToken ct)
    {
        var stage = await stages.FindAsync(stageId, ct);
        if (stage is not { Deleted: false } || !stage.IsVisibleTo(connection.UserId))
        {
            // The words of GET /stages/{stageId}'s 404: a private stage is not disclosed.
            return new LiveError(LiveErrorCodes.StageNotFound, "No such stage.", stageId);
        }

        if (!await connections.SubscribeAsync(connection, stageId, MaxSubscriptions, ct))
        {
            return new LiveError(LiveErrorCodes.TooManySubscriptions, $"A connection follows at most {MaxSubscriptions} stages.", stageId);
        }

        // Read after the subscription exists: any change numbered after this version reaches the connection.
        return new Subscribed(stageId, await connections.CurrentVersionAsync(stageId, ct));
    }

    private TokenBucket Bucket(string connectionId)
    {
        if (_buckets.Count > 10_000)
        {
            // Connections whose $disconnect ran elsewhere (another container): a fresh start is the safe side.
            _buckets.Clear();
        }

        return _buckets.GetOrAdd(connectionId, _ => new TokenBucket(BurstFrames, FramesPerSecond, _time.GetUtcNow()));
    }

    private static bool IsStageId(string? value) => value is not null && StageIdPattern().IsMatch(value);

    [GeneratedRegex("^[a-zA-Z0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex StageIdPattern();

    /// <summary>Per connection, in this process: API Gateway's route throttling is the account-wide backstop.</summary>
    private sealed class TokenBucket(int capacity, double perSecond, DateTimeOffset now)
    {
        private readonly Lock _gate = new();
        private double _tokens = capacity;
        private DateTimeOffset _at = now;

        public bool TryTake(DateTimeOffset now)
        {
            lock (_gate)
            {
                _tokens = Math.Min(capacity, _tokens + (Math.Max(0, (now - _at).TotalSeconds) * perSecond));
                _at = now;
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens -= 1;
                return true;
            }
        }
    }
}
