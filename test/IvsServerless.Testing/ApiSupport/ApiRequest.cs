using IvsServerless.Api.HttpApi;

namespace IvsServerless.Testing.ApiSupport;

/// <summary>Builds HTTP API payload v2 events as API Gateway sends them behind a JWT authorizer.</summary>
public sealed class ApiRequest
{
    private readonly string _method;
    private readonly string _path;
    private string? _routeKey = "$default";
    private string? _body;
    private Dictionary<string, string>? _claims;
    private readonly Dictionary<string, string> _query = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _headers = new(StringComparer.Ordinal) { ["content-type"] = "application/json" };

    private ApiRequest(string method, string path)
    {
        _method = method;
        _path = path;
    }

    public static ApiRequest Get(string path) => new("GET", path);
    public static ApiRequest Post(string path) => new("POST", path);
    public static ApiRequest Patch(string path) => new("PATCH", path);
    public static ApiRequest Delete(string path) => new("DELETE", path);
    public static ApiRequest Of(string method, string path) => new(method, path);

    public ApiRequest As(string? sub, string? name = null)
    {
        if (sub is null)
        {
            _claims = null;
            return this;
        }

        _claims = new Dictionary<string, string>(StringComparer.Ordinal) { ["sub"] = sub, ["iss"] = "https://issuer.test" };
        if (name is not null)
        {
            _claims["name"] = name;
        }

        return this;
    }

    public ApiRequest Header(string name, string value)
    {
        _headers[name.ToLowerInvariant()] = value;
        return this;
    }

    /// <summary>Sends no such header (e.g. a body without Content-Type).</summary>
    public ApiRequest WithoutHeader(string name)
    {
        _headers.Remove(name.ToLowerInvariant());
        return this;
    }

    /// <summary>The body as is, with this Content-Type (null = none).</summary>
    public ApiRequest Body(string body, string? contentType)
    {
        _body = body;
        return contentType is null ? WithoutHeader("content-type") : Header("content-type", contentType);
    }

    public ApiRequest Json(string body)
    {
        _body = body;
        return this;
    }

    public ApiRequest Query(string name, string value)
    {
        _query[name] = value;
        return this;
    }

    /// <summary>As API Gateway sends it for an explicit route (instead of <c>$default</c>).</summary>
    public ApiRequest RouteKey(string? routeKey)
    {
        _routeKey = routeKey;
        return this;
    }

    public APIGatewayHttpApiV2ProxyRequest Build() => new()
    {
        Version = "2.0",
        RouteKey = _routeKey,
        RawPath = _path,
        RawQueryString = string.Join('&', _query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")),
        Headers = new Dictionary<string, string>(_headers),
        QueryStringParameters = _query.Count > 0 ? new Dictionary<string, string>(_query) : null,
        Body = _body,
        IsBase64Encoded = false,
        RequestContext = new APIGatewayHttpApiV2ProxyRequest.ProxyRequestContext
        {
            AccountId = "123456789012",
            ApiId = "api1",
            DomainName = "api1.execute-api.us-east-1.amazonaws.com",
            RequestId = "req-" + Guid.NewGuid().ToString("N")[..8],
            RouteKey = _routeKey,
            Stage = "$default",
            Time = "25/Nov/2026:09:00:00 +0000",
            TimeEpoch = 1795683600000,
            Http = new APIGatewayHttpApiV2ProxyRequest.HttpDescription
            {
                Method = _method,
                Path = _path,
                Protocol = "HTTP/1.1",
                SourceIp = "203.0.113.7",
                UserAgent = "tests",
            },
            Authorizer = _claims is null ? null : new APIGatewayHttpApiV2ProxyRequest.AuthorizerDescription
            {
                Jwt = new APIGatewayHttpApiV2ProxyRequest.JwtDescription
                {
                    Claims = new Dictionary<string, string>(_claims),
                    Scopes = null
                },
            },
        },
    };
}
