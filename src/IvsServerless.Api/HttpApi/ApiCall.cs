using IvsServerless.Api.Errors;
using IvsServerless.Core.Tokens;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Api.HttpApi;

/// <summary>One routed request: the event, its path parameters, who is calling and when to give up.</summary>
public sealed class ApiCall(
    APIGatewayHttpApiV2ProxyRequest request,
    IReadOnlyDictionary<string, string> pathParameters,
    ILambdaContext context,
    CancellationToken cancellationToken)
{
    public APIGatewayHttpApiV2ProxyRequest Request { get; } = request;
    public IReadOnlyDictionary<string, string> PathParameters { get; } = pathParameters;
    public ILambdaContext Context { get; } = context;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The API Gateway request id (what the app sees); the Lambda one when absent.</summary>
    public string RequestId => Request.RequestContext?.RequestId ?? Context.AwsRequestId;

    /// <summary>The signed-in user; 401 when the authorizer passed no <c>sub</c>.</summary>
    public Caller Caller => Claims.CallerOf(Request) ?? throw new UnauthenticatedException();

    public string Path(string name) => PathParameters[name];

    /// <summary>
    /// The API's base URL as the client reached it, ending in '/': the <c>host</c> header (API Gateway's domain), the scheme
    /// of <c>x-forwarded-proto</c> (https when absent), then the stage's path unless it is <c>$default</c>.
    /// </summary>
    public Uri BaseUrl
    {
        get
        {
            var host = Header("host") ?? Request.RequestContext?.DomainName ?? "localhost";
            var scheme = Header("x-forwarded-proto") is "http" ? "http" : "https";
            var stage = Request.RequestContext?.Stage is { Length: > 0 } s && s != "$default" ? Uri.EscapeDataString(s) + "/" : "";
            return Uri.TryCreate($"{scheme}://{host}/{stage}", UriKind.Absolute, out var url)
                ? url
                : new Uri($"https://{Request.RequestContext?.DomainName ?? "localhost"}/{stage}");
        }
    }

    /// <summary>Every query parameter (decoded), none when there is no query string.</summary>
    public IReadOnlyDictionary<string, string> QueryParameters =>
        Request.QueryStringParameters is { } query
            ? new Dictionary<string, string>(query, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public string? Query(string name) =>
        Request.QueryStringParameters is { } query && query.TryGetValue(name, out var value) ? value : null;

    public string? Header(string name) => HeaderOf(Request, name);

    /// <summary>A request header by name, in any case (API Gateway passes header names as the client sent them).</summary>
    public static string? HeaderOf(APIGatewayHttpApiV2ProxyRequest request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

public static class Claims
{
    /// <summary>Display name claims in order of preference (OIDC standard first, then Cognito's).</summary>
    public static readonly string[] DisplayNameClaims = ["name", "preferred_username", "cognito:username"];

    public static Caller? CallerOf(APIGatewayHttpApiV2ProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var claims = request.RequestContext?.Authorizer?.Jwt?.Claims;
        if (claims is null || !claims.TryGetValue("sub", out var sub) || string.IsNullOrWhiteSpace(sub))
        {
            return null;
        }

        var displayName = DisplayNameClaims
            .Select(c => claims.TryGetValue(c, out var v) ? v : null)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return new Caller(sub, displayName);
    }
}
