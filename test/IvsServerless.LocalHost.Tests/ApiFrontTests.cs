using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IvsServerless.Api.HttpApi;
using IvsServerless.Lambda.Runtime;
using IvsServerless.LocalHost.ApiFront;
using IvsServerless.LocalHost.Auth;
using Microsoft.IdentityModel.Tokens;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// The API front alone, in front of a recording function: what API Gateway HTTP API does before and after the
/// Lambda integration (routes, JWT authorizer, CORS, the payload 2.0 event, the result mapping, 500/503).
/// </summary>
public sealed class ApiFrontTests : IClassFixture<ApiFrontTests.Front>
{
    private const string ConsoleOrigin = "http://127.0.0.1:3001";
    private readonly DevTokenIssuer _issuer;
    private readonly RecordingHandler _handler;
    private readonly HttpClient _http;

    public ApiFrontTests(Front front)
    {
        ArgumentNullException.ThrowIfNull(front);
        (_issuer, _handler, _http) = (front.Issuer, front.Handler, front.Http);
        _handler.Reset();
    }

    /// <summary>One front for the class (a Kestrel start and an RSA key cost about a second on a busy machine).</summary>
    public sealed class Front : IAsyncLifetime
    {
        private ApiFrontServer _front = null!;

        public DevTokenIssuer Issuer { get; } = new("http://127.0.0.1:3001", "ivs-serverless-local");

        public RecordingHandler Handler { get; } = new();

        public HttpClient Http { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var authorizer = new JwtAuthorizer(new JwtAuthorizerOptions(Issuer.Issuer, [Issuer.Audience]),
                new StaticSigningKeys(new JsonWebKeySet(Issuer.Jwks().ToJsonString())));
            var function = new LocalFunction("api", Handler, TimeSpan.FromMilliseconds(300), Stream.Null, TimeProvider.System);
            _front = ApiFrontServer.Create(0,
                new HttpApiRoutes(
                    ["GET /stages", "POST /stages", "GET /stages/{stageId}", "DELETE /stages/{stageId}/compositions/{compositionId}"]),
                authorizer, function,
                new CorsSettings(
                    [ConsoleOrigin], ["GET", "POST", "PATCH", "DELETE", "OPTIONS"], ["authorization", "content-type", "idempotency-key"],
                    TimeSpan.FromMinutes(10)),
                "123456789012", TimeProvider.System);
            await _front.StartAsync(CancellationToken.None);
            Http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = _front.BaseAddress };
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await _front.DisposeAsync();
            Issuer.Dispose();
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? user = "alice")
    {
        var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Mint(user).Token);
        }

        return request;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Health_is_open()
    {
        var response = await _http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await Json(response)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("GET", "/nothing-here")]
    [InlineData("PUT", "/stages")]
    [InlineData("GET", "/stages/")]
    [InlineData("GET", "/Stages")]
    [InlineData("GET", "/stages/abc/extra")]
    public async Task A_request_matching_no_route_is_404_before_any_authorization(string method, string path)
    {
        var response = await _http.SendAsync(Request(new HttpMethod(method), path, user: null));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"message":"Not Found"}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(_handler.Events);
    }

    [Fact]
    public async Task A_route_without_a_valid_token_is_401_and_never_reaches_the_function()
    {
        var anonymous = await _http.SendAsync(Request(HttpMethod.Get, "/stages", user: null));
        var forged = new HttpRequestMessage(HttpMethod.Get, "/stages");
        forged.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
        var garbage = await _http.SendAsync(forged);

        foreach (var response in new[] { anonymous, garbage })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("""{"message":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
            Assert.StartsWith(
                "Bearer scope=\"\" error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        Assert.Empty(_handler.Events);
    }

    [Fact]
    public async Task The_function_gets_a_payload_2_0_event_as_API_Gateway_builds_it()
    {
        var request = Request(HttpMethod.Delete, "/stages/st%20ge1/compositions/comp1?b=2&a=1&a=3");
        request.Headers.Add("X-Custom", "One");
        request.Headers.Add("Cookie", "theme=dark; lang=fr");

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = Assert.Single(_handler.Events);
        Assert.Equal("2.0", e.Version);
        Assert.Equal("DELETE /stages/{stageId}/compositions/{compositionId}", e.RouteKey);
        Assert.Equal(e.RouteKey, e.RequestContext!.RouteKey);
        Assert.Equal("/stages/st%20ge1/compositions/comp1", e.RawPath);
        Assert.Equal("b=2&a=1&a=3", e.RawQueryString);
        Assert.Equal("1,3", e.QueryStringParameters!["a"]);
        Assert.Equal("st ge1", e.PathParameters!["stageId"]);
        Assert.Equal("comp1", e.PathParameters["compositionId"]);
        Assert.Equal("One", e.Headers!["x-custom"]);
        Assert.All(e.Headers.Keys, name => Assert.Equal(name.ToLowerInvariant(), name));
        Assert.False(e.Headers.ContainsKey("cookie"));
        Assert.Equal(["theme=dark", "lang=fr"], e.Cookies!);
        Assert.Equal("DELETE", e.RequestContext.Http!.Method);
        Assert.Equal("$default", e.RequestContext.Stage);
        Assert.Equal("123456789012", e.RequestContext.AccountId);
        Assert.Equal(response.Headers.GetValues("apigw-requestid").Single(), e.RequestContext.RequestId);
        var claims = e.RequestContext.Authorizer!.Jwt!.Claims!;
        Assert.Equal("alice", claims["sub"]);
        Assert.Equal(_issuer.Issuer, claims["iss"]);
        Assert.Null(e.Body);
        Assert.False(e.IsBase64Encoded);
    }

    [Fact]
    public async Task Json_bodies_arrive_as_text_and_binary_bodies_as_base64()
    {
        var json = Request(HttpMethod.Post, "/stages");
        json.Content = new StringContent("""{"name":"demo"}""", Encoding.UTF8, "application/json");
        var binary = Request(HttpMethod.Post, "/stages");
        binary.Content = new ByteArrayContent([0, 1, 2, 255]);
        binary.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        await _http.SendAsync(json);
        await _http.SendAsync(binary);

        Assert.Equal("""{"name":"demo"}""", _handler.Events[0].Body);
        Assert.False(_handler.Events[0].IsBase64Encoded);
        Assert.Equal(Convert.ToBase64String([0, 1, 2, 255]), _handler.Events[1].Body);
        Assert.True(_handler.Events[1].IsBase64Encoded);
    }

    [Fact]
    public async Task The_function_result_becomes_the_response()
    {
        _handler.Respond = _ => new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = 201,
            Headers = new Dictionary<string, string> { ["content-type"] = "application/problem+json", ["x-extra"] = "yes" },
            Cookies = ["session=abc; HttpOnly"],
            Body = Convert.ToBase64String("""{"ok":true}"""u8.ToArray()),
            IsBase64Encoded = true,
        };

        var response = await _http.SendAsync(Request(HttpMethod.Get, "/stages"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("yes", response.Headers.GetValues("x-extra").Single());
        Assert.Equal("session=abc; HttpOnly", response.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_function_error_is_500_and_a_function_timeout_is_503()
    {
        _handler.Respond = _ => throw new InvalidOperationException("boom");
        var failed = await _http.SendAsync(Request(HttpMethod.Get, "/stages"));

        _handler.Respond = null;
        _handler.Hang = true;
        var timedOut = await _http.SendAsync(Request(HttpMethod.Get, "/stages"));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("""{"message":"Internal Server Error"}""", await failed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, timedOut.StatusCode);
        Assert.Equal("""{"message":"Service Unavailable"}""", await timedOut.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Preflights_are_answered_by_the_front_for_the_console_origin_only()
    {
        HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/stages");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return request;
        }

        var allowed = await _http.SendAsync(Preflight(ConsoleOrigin));
        var other = await _http.SendAsync(Preflight("http://evil.example"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(ConsoleOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PATCH", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Equal("authorization,content-type,idempotency-key", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Empty(_handler.Events);
    }

    [Fact]
    public async Task Responses_to_the_console_origin_carry_the_CORS_header_even_when_refused()
    {
        var ok = Request(HttpMethod.Get, "/stages");
        ok.Headers.Add("Origin", ConsoleOrigin);
        var anonymous = Request(HttpMethod.Get, "/stages", user: null);
        anonymous.Headers.Add("Origin", ConsoleOrigin);

        var responses = new[] { await _http.SendAsync(ok), await _http.SendAsync(anonymous) };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized], responses.Select(r => r.StatusCode));
        Assert.All(responses, r => Assert.Equal(ConsoleOrigin, r.Headers.GetValues("Access-Control-Allow-Origin").Single()));
    }

    public sealed class RecordingHandler : ILambdaHandler
    {
        public void Reset()
        {
            Events.Clear();
            Respond = null;
            Hang = false;
        }

        public List<APIGatewayHttpApiV2ProxyRequest> Events { get; } = [];

        public Func<APIGatewayHttpApiV2ProxyRequest, APIGatewayHttpApiV2ProxyResponse>? Respond { get; set; }

        public bool Hang { get; set; }

        public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
        {
            var request = JsonSerializer.Deserialize(payload.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)!;
            lock (Events)
            {
                Events.Add(request);
            }

            if (Hang)
            {
                // Runs until the function timeout cancels it, as a stuck function would.
                await Task.Delay(Timeout.Infinite, ct);
            }

            var response = Respond?.Invoke(request) ?? new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "{}" };
            return JsonSerializer.SerializeToUtf8Bytes(response, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse);
        }
    }
}
