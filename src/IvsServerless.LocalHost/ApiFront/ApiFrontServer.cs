using System.Text.Json;
using IvsServerless.Api.HttpApi;
using IvsServerless.Deployment.Routes;
using IvsServerless.LocalHost.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace IvsServerless.LocalHost.ApiFront;

/// <summary>The CORS configuration of the HTTP API (API Gateway answers preflights itself).</summary>
public sealed record CorsSettings(
    IReadOnlyList<string> AllowOrigins, IReadOnlyList<string> AllowMethods, IReadOnlyList<string> AllowHeaders, TimeSpan MaxAge);

/// <summary>
/// The local stand-in for API Gateway HTTP API in front of the <c>api</c> function: CORS preflights, route
/// selection (404 <c>{"message":"Not Found"}</c>), the JWT authorizer on every route (401
/// <c>{"message":"Unauthorized"}</c> with <c>www-authenticate</c>), then a payload 2.0 event to the function and
/// its result back as the HTTP response. <c>GET /health</c> is the one open route, answered by the front itself.
/// </summary>
public sealed class ApiFrontServer : IAsyncDisposable
{
    /// <summary>API Gateway's maximum integration timeout.</summary>
    public static readonly TimeSpan IntegrationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>API Gateway's payload limit.</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "content-length", "transfer-encoding", "keep-alive", "upgrade", "proxy-connection", "te", "trailer",
    };

    private readonly WebApplication _app;
    private readonly HttpApiRoutes _routes;
    private readonly JwtAuthorizer _authorizer;
    private readonly LocalFunction _function;
    private readonly CorsSettings _cors;
    private readonly string _accountId;
    private readonly TimeProvider _time;

    private ApiFrontServer(WebApplication app, HttpApiRoutes routes, JwtAuthorizer authorizer, LocalFunction function, CorsSettings cors,
        string accountId, TimeProvider time)
    {
        _app = app;
        _routes = routes;
        _authorizer = authorizer;
        _function = function;
        _cors = cors;
        _accountId = accountId;
        _time = time;
        app.Run(HandleAsync);
    }

    public Uri BaseAddress => LocalUrls.BoundAddress(_app);

    public static ApiFrontServer Create(int port, HttpApiRoutes routes, JwtAuthorizer authorizer, LocalFunction function, CorsSettings cors,
        string accountId, TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", LocalUrls.Loopback(port)]);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes);
        return new ApiFrontServer(builder.Build(), routes, authorizer, function, cors, accountId, time);
    }

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var requestId = HttpApiEvents.NewRequestId();
        http.Response.Headers["apigw-requestid"] = requestId;
        var origin = http.Request.Headers.Origin.ToString();
        var allowedOrigin = _cors.AllowOrigins.Contains(origin, StringComparer.Ordinal) ? origin : null;

        if (HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.ContainsKey("Access-Control-Request-Method")
            && origin.Length > 0)
        {
            AnswerPreflight(http, allowedOrigin);
            return;
        }

        if (allowedOrigin is not null)
        {
            http.Response.Headers.AccessControlAllowOrigin = allowedOrigin;
            http.Response.Headers.Vary = "Origin";
        }

        var path = http.Request.Path.ToUriComponent();
        if (HttpMethods.IsGet(http.Request.Method) && path == "/health")
        {
            await WriteJsonAsync(http, StatusCodes.Status200OK, """{"status":"ok"}""");
            return;
        }

        var rawPath = (http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? path).Split('?', 2)[0];
        var route = _routes.Match(http.Request.Method, rawPath);
        if (route is null)
        {
            await WriteJsonAsync(http, StatusCodes.Status404NotFound, """{"message":"Not Found"}""");
            return;
        }

        // As in AWS: the routes the contract serves without the JWT authorizer (signed URLs for players) get no claims.
        var open = ApiRoutes.All.Any(r => r.Key == route.RouteKey && !r.RequiresAuthorization);
        var authorization = open
            ? null
            : await _authorizer.AuthorizeAsync(http.Request.Headers.Authorization.ToString(), http.RequestAborted);
        if (authorization is { IsAuthorized: false })
        {
            http.Response.Headers.WWWAuthenticate =
                $"Bearer scope=\"\" error=\"invalid_token\" error_description=\"{authorization.Error}\"";
            await WriteJsonAsync(http, StatusCodes.Status401Unauthorized, """{"message":"Unauthorized"}""");
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(http.Request);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteJsonAsync(http, StatusCodes.Status413PayloadTooLarge, """{"message":"Request Entity Too Large"}""");
            return;
        }

        var claims = authorization?.Claims ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var apiEvent = HttpApiEvents.Create(http.Request, route, claims, body, requestId, _accountId, _time.GetUtcNow());
        var payload = JsonSerializer.SerializeToUtf8Bytes(apiEvent, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);

        APIGatewayHttpApiV2ProxyResponse? result;
        try
        {
            var bytes = await _function.InvokeAsync(payload, Guid.NewGuid().ToString(), http.RequestAborted)
                .WaitAsync(IntegrationTimeout, http.RequestAborted);
            result = JsonSerializer.Deserialize(bytes.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse);
        }
        catch (TimeoutException)
        {
            // The function ran past its timeout, or the integration past 30 s: API Gateway answers 503.
            await WriteJsonAsync(http, StatusCodes.Status503ServiceUnavailable, """{"message":"Service Unavailable"}""");
            return;
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A function error (an unhandled exception, or a result that is not a payload 2.0 response) is API
            // Gateway's 500; the details are in the function's log (LocalFunction), as in AWS.
            await WriteJsonAsync(http, StatusCodes.Status500InternalServerError, """{"message":"Internal Server Error"}""");
            return;
        }

        if (result is null || result.StatusCode is < 100 or > 599)
        {
            await WriteJsonAsync(http, StatusCodes.Status500InternalServerError, """{"message":"Internal Server Error"}""");
            return;
        }

        await WriteResultAsync(http, result);
    }

    private void AnswerPreflight(HttpContext http, string? allowedOrigin)
    {
        http.Response.StatusCode = StatusCodes.Status204NoContent;
        if (allowedOrigin is null)
        {
            // Not an allowed origin: no CORS headers, so the browser refuses the real request.
            return;
        }

        http.Response.Headers.AccessControlAllowOrigin = allowedOrigin;
        http.Response.Headers.AccessControlAllowMethods = string.Join(',', _cors.AllowMethods);
        http.Response.Headers.AccessControlAllowHeaders = string.Join(',', _cors.AllowHeaders);
        http.Response.Headers.AccessControlMaxAge = ((int)_cors.MaxAge.TotalSeconds).ToString(
            System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers.Vary = "Origin";
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.Length > MaxBodyBytes
            ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge)
            : buffer.ToArray();
    }

    private static async Task WriteResultAsync(HttpContext http, APIGatewayHttpApiV2ProxyResponse result)
    {
        http.Response.StatusCode = result.StatusCode;
        foreach (var (name, value) in result.Headers ?? new Dictionary<string, string>())
        {
            if (!HopByHopHeaders.Contains(name))
            {
                http.Response.Headers[name] = value;
            }
        }

        foreach (var cookie in result.Cookies ?? [])
        {
            http.Response.Headers.Append("Set-Cookie", cookie);
        }

        if (result.Body is { Length: > 0 } body)
        {
            var bytes = result.IsBase64Encoded ? Convert.FromBase64String(body) : System.Text.Encoding.UTF8.GetBytes(body);
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        }
    }

    private static async Task WriteJsonAsync(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(json, http.RequestAborted);
    }
}
