using System.Text;
using System.Text.Json;
using IvsServerless.Core.Live;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Live.Notifier;

namespace IvsServerless.Live.Connections;

/// <summary>One API Gateway WebSocket route event (Lambda proxy integration), the members the routes read.</summary>
public sealed record WebSocketRouteEvent(string RouteKey, string ConnectionId, string? UserId, byte[] Body)
{
    public static WebSocketRouteEvent Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var context = root.GetProperty("requestContext");
        string? userId = null;
        if (context.TryGetProperty("authorizer", out var authorizer) && authorizer.ValueKind == JsonValueKind.Object)
        {
            userId = authorizer.TryGetProperty("userId", out var user) && user.ValueKind == JsonValueKind.String ? user.GetString()
                : authorizer.TryGetProperty("principalId", out var principal) && principal.ValueKind == JsonValueKind.String
                    ? principal.GetString() : null;
        }

        var body = root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "";
        var base64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new WebSocketRouteEvent(
            context.GetProperty("routeKey").GetString()!,
            context.GetProperty("connectionId").GetString()!,
            userId,
            base64 ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body));
    }
}

/// <summary>
/// The <c>live-connections</c> function: <c>$connect</c> records the connection (the authorizer already checked the
/// token), <c>$disconnect</c> forgets it with its subscriptions, <c>$default</c> answers subscribe, unsubscribe and ping
/// with the route's response (a two-way route: the body goes back on the connection).
/// </summary>
public sealed class WebSocketRouteHandler(LiveConnectionService service) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        var request = WebSocketRouteEvent.Parse(payload.Span);
        switch (request.RouteKey)
        {
            case "$connect" when request.UserId is { Length: > 0 } userId:
                await service.ConnectAsync(request.ConnectionId, userId, ct);
                return Response(200, null);
            case "$connect":
                return Response(401, null);
            case "$disconnect":
                await service.DisconnectAsync(request.ConnectionId, ct);
                return Response(200, null);
            default:
                var reply = await service.HandleFrameAsync(request.ConnectionId, request.UserId ?? "", request.Body, ct);
                return Response(200, Encoding.UTF8.GetString(LiveNotifier.Serialize(reply)));
        }
    }

    public static byte[] Response(int statusCode, string? body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", statusCode);
            if (body is not null)
            {
                json.WriteString("body", body);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
