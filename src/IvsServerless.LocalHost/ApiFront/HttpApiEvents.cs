using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IvsServerless.Api.HttpApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace IvsServerless.LocalHost.ApiFront;

/// <summary>Builds the payload format 2.0 event API Gateway HTTP API sends to a Lambda integration.</summary>
public static class HttpApiEvents
{
    // Bodies of these types reach the function as text; every other body is base64 (isBase64Encoded).
    private static readonly string[] TextTypes = ["json", "xml", "javascript", "x-www-form-urlencoded", "yaml"];

    /// <summary>API Gateway's request id shape: a short base64 string such as <c>JKJaXmPLvHcESHA=</c>.</summary>
    public static string NewRequestId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(10));

    public static APIGatewayHttpApiV2ProxyRequest Create(
        HttpRequest request, RouteMatch route, IDictionary<string, string> claims, byte[] body, string requestId, string accountId,
            DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToUriComponent();
        var rawPath = rawTarget.Split('?', 2)[0];
        var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var host = request.Host.Host;

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        string[]? cookies = null;
        foreach (var (name, values) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower == "cookie")
            {
                // Payload 2.0 moves cookies out of the headers into their own array.
                cookies = [
                    .. values.SelectMany(
                    v => (v ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];
                continue;
            }

            headers[lower] = Joined(values);
        }

        // As API Gateway: the scheme the client used (the API builds its own URLs, e.g. playback URLs, from it).
        headers.TryAdd("x-forwarded-proto", request.Scheme);

        var query = request.Query.Count == 0
            ? null
            : request.Query.ToDictionary(q => q.Key, q => Joined(q.Value), StringComparer.Ordinal);

        var (text, isBase64) = Body(request.ContentType, body);
        return new APIGatewayHttpApiV2ProxyRequest
        {
            Version = "2.0",
            RouteKey = route.RouteKey,
            RawPath = rawPath,
            RawQueryString = rawQuery,
            Cookies = cookies,
            Headers = headers,
            QueryStringParameters = query,
            PathParameters = route.PathParameters.Count == 0 ? null : route.PathParameters,
            Body = text,
            IsBase64Encoded = isBase64,
            RequestContext = new APIGatewayHttpApiV2ProxyRequest.ProxyRequestContext
            {
                AccountId = accountId,
                ApiId = "local",
                DomainName = host,
                DomainPrefix = host.Split('.')[0],
                RequestId = requestId,
                RouteKey = route.RouteKey,
                Stage = "$default",
                Time = now.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                TimeEpoch = now.ToUnixTimeMilliseconds(),
                Authorizer = new APIGatewayHttpApiV2ProxyRequest.AuthorizerDescription
                {
                    Jwt = new APIGatewayHttpApiV2ProxyRequest.JwtDescription { Claims = claims, Scopes = null },
                },
                Http = new APIGatewayHttpApiV2ProxyRequest.HttpDescription
                {
                    Method = request.Method,
                    Path = rawPath,
                    Protocol = request.Protocol,
                    SourceIp = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
                    UserAgent = request.Headers.UserAgent.ToString(),
                },
            },
        };
    }

    private static string Joined(StringValues values) => string.Join(',', values.Select(v => v ?? ""));

    private static (string? Body, bool IsBase64) Body(string? contentType, byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, false);
        }

        var type = (contentType ?? "").ToLowerInvariant();
        return type.StartsWith("text/", StringComparison.Ordinal) || TextTypes.Any(t => type.Contains(t, StringComparison.Ordinal))
            ? (Encoding.UTF8.GetString(body), false)
            : (Convert.ToBase64String(body), true);
    }
}
