using System.Text.Json;
using IvsServerless.Lambda.Runtime;
using IvsServerless.LocalHost.Auth;

namespace IvsServerless.Live.Connections;

/// <summary>
/// The <c>$connect</c> route's Lambda REQUEST authorizer (WebSocket APIs have no JWT authorizer). The user's JWT travels
/// in the <c>token</c> query parameter: a browser's <c>WebSocket</c> cannot set an Authorization header, and the other
/// way in, <c>Sec-WebSocket-Protocol</c>, would need the server to echo the token back as the chosen subprotocol. It is
/// checked exactly like the HTTP API's JWT authorizer checks a bearer token (issuer's JWKS, cached; iss, aud, exp, nbf,
/// iat), and must carry a <c>sub</c>, which becomes the connection's user. Query strings can reach access logs:
/// API Gateway's access log format for this API does not include it, and tokens are short-lived.
/// </summary>
public sealed class ConnectAuthorizerHandler(JwtAuthorizer authorizer) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reader = new Utf8JsonReader(payload.Span);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var methodArn = root.TryGetProperty("methodArn", out var arn) ? arn.GetString() ?? "*" : "*";
        var token = root.TryGetProperty("queryStringParameters", out var query) && query.ValueKind == JsonValueKind.Object
            && query.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        var (userId, error) = await AuthorizeAsync(authorizer, token, ct);
        if (userId is null)
        {
            context.Logger.Log(LambdaLogLevel.Information, "connection refused: " + error);
        }

        return Policy(userId, methodArn);
    }

    /// <summary>The user a token names, or why it was refused (never the token itself).</summary>
    public static async Task<(string? UserId, string? Error)> AuthorizeAsync(JwtAuthorizer authorizer, string? token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        if (string.IsNullOrEmpty(token))
        {
            return (null, "no token query parameter");
        }

        var result = await authorizer.AuthorizeAsync(token, ct);
        if (!result.IsAuthorized)
        {
            return (null, result.Error);
        }

        return result.Claims!.TryGetValue("sub", out var sub)
            && sub.Length is > 0 and <= 128 ? (sub, null) : (null, "the token has no sub");
    }

    /// <summary>An IAM policy allowing (or, without a user, denying) this connect, with the user in the context.</summary>
    public static byte[] Policy(string? userId, string methodArn)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("principalId", userId ?? "anonymous");
            json.WriteStartObject("policyDocument");
            json.WriteString("Version", "2012-10-17");
            json.WriteStartArray("Statement");
            json.WriteStartObject();
            json.WriteString("Action", "execute-api:Invoke");
            json.WriteString("Effect", userId is null ? "Deny" : "Allow");
            json.WriteString("Resource", methodArn);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            if (userId is not null)
            {
                json.WriteStartObject("context");
                json.WriteString("userId", userId);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
