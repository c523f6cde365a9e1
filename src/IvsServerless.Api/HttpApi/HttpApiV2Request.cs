namespace IvsServerless.Api.HttpApi;

// API Gateway HTTP API Lambda integration, payload format version 2.0. Named and shaped like
// Amazon.Lambda.APIGatewayEvents' APIGatewayHttpApiV2ProxyRequest/Response (not available on the package
// copy here), so moving to that package later only changes usings.

public sealed class APIGatewayHttpApiV2ProxyRequest
{
    public string? Version { get; set; }
    public string? RouteKey { get; set; }
    public string? RawPath { get; set; }
    public string? RawQueryString { get; set; }
    public string[]? Cookies { get; set; }

    /// <summary>Header names arrive lower-cased; repeated headers are comma-joined.</summary>
    public IDictionary<string, string>? Headers { get; set; }

    public IDictionary<string, string>? QueryStringParameters { get; set; }
    public ProxyRequestContext? RequestContext { get; set; }
    public string? Body { get; set; }
    public IDictionary<string, string>? PathParameters { get; set; }
    public bool IsBase64Encoded { get; set; }
    public IDictionary<string, string>? StageVariables { get; set; }

    public sealed class ProxyRequestContext
    {
        public string? AccountId { get; set; }
        public string? ApiId { get; set; }
        public AuthorizerDescription? Authorizer { get; set; }
        public string? DomainName { get; set; }
        public string? DomainPrefix { get; set; }
        public HttpDescription? Http { get; set; }
        public string? RequestId { get; set; }
        public string? RouteKey { get; set; }
        public string? Stage { get; set; }
        public string? Time { get; set; }
        public long TimeEpoch { get; set; }
    }

    public sealed class HttpDescription
    {
        public string? Method { get; set; }
        public string? Path { get; set; }
        public string? Protocol { get; set; }
        public string? SourceIp { get; set; }
        public string? UserAgent { get; set; }
    }

    public sealed class AuthorizerDescription
    {
        public JwtDescription? Jwt { get; set; }
    }

    /// <summary>The JWT authorizer passes every claim as a string (arrays become "[a b]").</summary>
    public sealed class JwtDescription
    {
        public IDictionary<string, string>? Claims { get; set; }
        public string[]? Scopes { get; set; }
    }
}

public sealed class APIGatewayHttpApiV2ProxyResponse
{
    public int StatusCode { get; set; }
    public IDictionary<string, string>? Headers { get; set; }
    public string[]? Cookies { get; set; }
    public string? Body { get; set; }
    public bool IsBase64Encoded { get; set; }
}
