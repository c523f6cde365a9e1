using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IvsServerless.Api.HttpApi;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Core.Stages;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Testing.Faults;
using Stage = IvsServerless.Core.Stages.Stage;

namespace IvsServerless.Api.Tests;

/// <summary>
/// How failures below the API reach apps: problem+json with a stable code, the right status, and never
/// a stack trace or an exception's own words. IVS failures come from a stub HTTP handler behind the real
/// client, so the client's own error parsing is part of what is tested.
/// </summary>
public sealed class ErrorMappingTests
{
    private const string StageId = "AbCdEfGhIjKl";

    public static TheoryData<HttpStatusCode, string, int, string> IvsFailures => new()
    {
        { HttpStatusCode.TooManyRequests, "ThrottlingException", 429, "throttled" },
        { HttpStatusCode.InternalServerError, "InternalServerException", 502, "upstream-error" },
        { HttpStatusCode.PaymentRequired, "ServiceQuotaExceededException", 503, "service-quota-exceeded" },
        { HttpStatusCode.Forbidden, "AccessDeniedException", 502, "upstream-error" },
        { HttpStatusCode.NotFound, "ResourceNotFoundException", 404, "stage-not-found" },
    };

    [Theory]
    [MemberData(nameof(IvsFailures))]
    public async Task An_IVS_failure_maps_to_a_stable_problem(HttpStatusCode ivsStatus, string ivsError, int status, string code)
    {
        var (handler, log) = Build(new StubHandler(_ => Answer(ivsStatus, ivsError)));

        var response = await Send(handler, log, ApiRequest.Post($"/stages/{StageId}/participant-tokens").As("alice"));

        Assert.Equal(status, response.Status);
        Assert.Equal(code, response.Code);
        AssertIsCleanProblem(response);
        if (status == 429)
        {
            Assert.Equal("1", response.Headers["retry-after"]);
        }
    }

    [Fact]
    public async Task An_unreachable_IVS_is_502()
    {
        var (handler, log) = Build(new StubHandler(_ => throw new HttpRequestException("connection refused at 10.0.0.1")));
        var response = await Send(handler, log, ApiRequest.Post($"/stages/{StageId}/participant-tokens").As("alice"));
        Assert.Equal(502, response.Status);
        Assert.Equal("upstream-unreachable", response.Code);
        AssertIsCleanProblem(response);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unreachable_table_is_502_naming_the_data_store_not_the_video_service(bool dropped)
    {
        // Refused: a loopback port nobody listens on. Dropped: the fault proxy closes each connection before forwarding.
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var proxy = await FaultProxy.StartAsync($"http://127.0.0.1:{closedPort}", FaultFlavour.DynamoDb,
            FaultSchedule.Always(new Fault(FaultKind.DropBeforeForward)));
        var endpoint = dropped ? proxy.ServiceUrl : $"http://127.0.0.1:{closedPort}";
        using var dynamo = new FaultTranslatingDynamoDbClient(new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var table = new DynamoDbOptions { TableName = "unreachable" };
        var (handler, log) = Build(new StubHandler(_ => throw new InvalidOperationException("IVS is not called")),
            stages: null, store: new DynamoDbStageStore(dynamo, table));

        var response = await Send(handler, log, ApiRequest.Get($"/stages/{StageId}").As("alice"));

        Assert.Equal(502, response.Status);
        Assert.Equal("upstream-unreachable", response.Code);
        var detail = response.Json.GetProperty("detail").GetString()!;
        Assert.Contains("data store", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("video", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", response.Body, StringComparison.Ordinal);
        var port = closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain(port, response.Body, StringComparison.Ordinal);
        AssertIsCleanProblem(response);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_generic_500_logged_with_the_request_id()
    {
        var (handler, log) = Build(new StubHandler(_ => Answer(HttpStatusCode.OK, null)), new ExplodingStore());
        var request = ApiRequest.Get($"/stages/{StageId}").As("alice");
        var built = request.Build();

        var response = new ApiResponse(await handler.HandleAsync(built, Context(log), CancellationToken.None));

        Assert.Equal(500, response.Status);
        Assert.Equal("internal-error", response.Code);
        Assert.Equal(built.RequestContext!.RequestId, response.Json.GetProperty("instance").GetString());
        Assert.DoesNotContain("secret-table-name", response.Body, StringComparison.Ordinal);
        AssertIsCleanProblem(response);
        Assert.Contains(built.RequestContext.RequestId!, log.Text, StringComparison.Ordinal);
        Assert.Contains("secret-table-name", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_errors_are_problems_too()
    {
        var (handler, log) = Build(new StubHandler(_ => Answer(HttpStatusCode.OK, null)));
        var unknown = await Send(handler, log, ApiRequest.Get("/nowhere").As("alice"));
        Assert.Equal((404, "route-not-found"), (unknown.Status, unknown.Code));
        var wrongMethod = await Send(handler, log, ApiRequest.Of("PUT", "/stages").As("alice"));
        Assert.Equal((405, "method-not-allowed"), (wrongMethod.Status, wrongMethod.Code));
        Assert.Equal("POST, GET", wrongMethod.Headers["allow"]);

        var garbage = await handler.HandleAsync("not json"u8.ToArray(), Context(log), CancellationToken.None);
        var parsed = JsonSerializer.Deserialize(garbage.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse)!;
        Assert.Equal(400, parsed.StatusCode);
    }

    [Fact]
    public async Task An_explicit_route_key_selects_the_route_and_its_path_parameters()
    {
        var stages = new InMemoryStageStore();
        await stages.AddAsync(new Stage(StageId, "arn:aws:ivs:us-east-1:123456789012:stage/" + StageId, "s", "alice",
            StageVisibility.Public, new HashSet<string>(), new HashSet<string>(), DateTimeOffset.UtcNow), default);
        var (handler, log) = Build(new StubHandler(_ => Answer(HttpStatusCode.OK, null)), stages);

        var response = await Send(handler, log, ApiRequest.Get($"/stages/{StageId}").RouteKey("GET /stages/{stageId}").As("bob"));

        Assert.Equal(200, response.Status);
        Assert.Equal(StageId, response.Json.GetProperty("stageId").GetString());
        Assert.Equal("application/json", response.Headers["content-type"]);
    }

    [Fact]
    public async Task Display_names_come_from_name_then_preferred_username_then_cognito_username()
    {
        static APIGatewayHttpApiV2ProxyRequest With(params (string Key, string Value)[] claims)
        {
            var request = ApiRequest.Get("/stages").As("u1").Build();
            foreach (var (key, value) in claims)
            {
                request.RequestContext!.Authorizer!.Jwt!.Claims![key] = value;
            }

            return request;
        }

        Assert.Equal("N", Claims.CallerOf(With(("cognito:username", "C"), ("preferred_username", "P"), ("name", "N")))!.DisplayName);
        Assert.Equal("P", Claims.CallerOf(With(("cognito:username", "C"), ("preferred_username", "P")))!.DisplayName);
        Assert.Equal("C", Claims.CallerOf(With(("cognito:username", "C")))!.DisplayName);
        Assert.Null(Claims.CallerOf(ApiRequest.Get("/stages").Build()));
        Assert.Null(Claims.CallerOf(With(("sub", " "))));
        await Task.CompletedTask;
    }

    internal static void AssertIsCleanProblem(ApiResponse response)
    {
        Assert.Equal("application/problem+json", response.Headers["content-type"]);
        var json = response.Json;
        foreach (var member in new[] { "type", "title", "status", "detail", "instance", "code" })
        {
            Assert.True(json.TryGetProperty(member, out _), $"problem+json lacks '{member}': {response.Body}");
        }

        Assert.Equal(response.Status, json.GetProperty("status").GetInt32());
        Assert.DoesNotContain(" at ", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("IvsServerless.", response.Body, StringComparison.Ordinal);
    }

    private static (ApiHandler Handler, StringWriterStream Log) Build(
        StubHandler ivsHttp, InMemoryStageStore? stages = null, IStageStore? store = null)
    {
        if (stages is null && store is null)
        {
            stages = new InMemoryStageStore();
            stages.AddAsync(new Stage(StageId, "arn:aws:ivs:us-east-1:123456789012:stage/" + StageId, "s", "alice",
                StageVisibility.Public, new HashSet<string>(), new HashSet<string>(), DateTimeOffset.UtcNow), default).GetAwaiter()
                    .GetResult();
        }

        var ivs = new IvsRealTimeClient(new HttpClient(ivsHttp),
            new IvsRealTimeClientOptions { Region = "us-east-1", ServiceUrl = "http://ivs.invalid", MaxAttempts = 1 },
            new BasicAWSCredentials("AKIDEXAMPLE", "secret"), delay: (_, _) => Task.CompletedTask);
        return (
            new ApiHandler(
            store ?? stages!, new InMemoryCompositionStore(), new InMemoryUsageLedger(), ApiIvsPorts.Of(new IvsRealTimeAdapter(ivs)),
            new ApiOptions
            {
                DeploymentTag = "tests"
            }),
            new StringWriterStream());
    }

    private static LambdaContext Context(StringWriterStream log) =>
        new() { AwsRequestId = "lambda-req-1", Deadline = DateTimeOffset.UtcNow.AddSeconds(30), Logger = new LambdaJsonLogger(log) };

    private static async Task<ApiResponse> Send(ApiHandler handler, StringWriterStream log, ApiRequest request) =>
        new(await handler.HandleAsync(request.Build(), Context(log), CancellationToken.None));

    private static HttpResponseMessage Answer(HttpStatusCode status, string? errorType)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("""{"message":"IVS says no"}""") };
        if (errorType is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType);
        }

        return response;
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }

    private sealed class ExplodingStore : InMemoryStageStore
    {
        public override Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Table secret-table-name is missing");
    }
}
