using System.Buffers.Text;
using System.Text.Json;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Storage;
using Stage = IvsServerless.Core.Stages.Stage;

namespace IvsServerless.Api.Tests;

/// <summary>
/// Errors a client can act on (issue 17, item 3): a busy or failing table is 503 with Retry-After (not 500), a bad
/// cursor of any kind is 400 invalid-cursor (never 5xx), and a body that is not JSON is 415.
/// </summary>
public sealed class ActionableErrorTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(new UnavailableStageStore());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_table_that_stays_throttled_or_unavailable_is_503_with_retry_after()
    {
        var store = (UnavailableStageStore)_api.Stages;
        var stageId = await _api.CreateStageAsync("alice");
        store.Failing = true;

        foreach (var request in new[]
        {
            ApiRequest.Get($"/stages/{stageId}").As("alice"),
            ApiRequest.Get("/stages").As("alice"),
            ApiRequest.Post("/stages").As("alice").Json("""{"name":"x","visibility":"public"}"""),
            ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice").Json("{}"),
        })
        {
            var response = await _api.SendAsync(request);
            Assert.Equal((503, "store-unavailable"), (response.Status, response.Code));
            Assert.Equal("2", response.Headers["retry-after"]);
            ErrorMappingTests.AssertIsCleanProblem(response);
        }

    }

    public static TheoryData<string?> NotJson => new()
    {
        null, "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/xml", "application/jsonp", "text/json", "application/json; charset=iso-8859-1", "application/+json", "",
    };

    [Theory]
    [MemberData(nameof(NotJson))]
    public async Task A_body_that_is_not_json_is_415_on_every_route_that_takes_one(string? contentType)
    {
        var stageId = await _api.CreateStageAsync("alice");
        foreach (var request in new[]
        {
            ApiRequest.Post("/stages"),
            ApiRequest.Patch($"/stages/{stageId}"),
            ApiRequest.Post($"/stages/{stageId}/participant-tokens"),
            ApiRequest.Post($"/stages/{stageId}/participants/pAAAAAAAAAAA/disconnect"),
            ApiRequest.Post($"/stages/{stageId}/compositions"),
            ApiRequest.Delete($"/stages/{stageId}"),
        })
        {
            var response = await _api.SendAsync(request.As("alice").Body("""{"name":"x"}""", contentType));
            Assert.Equal((415, "unsupported-media-type"), (response.Status, response.Code));
            ErrorMappingTests.AssertIsCleanProblem(response);
        }

        Assert.Equal(200, (await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice"))).Status);
    }

    [Fact]
    public async Task An_anonymous_request_is_401_before_its_content_type_is_looked_at()
    {
        var response = await _api.SendAsync(ApiRequest.Post("/stages").Body("""{"name":"x"}""", "text/plain"));
        Assert.Equal((401, "unauthenticated"), (response.Status, response.Code));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=\"UTF-8\"")]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/vnd.example+json; charset=utf-8")]
    public async Task Json_content_types_are_accepted(string contentType)
    {
        var created = await _api.SendAsync(
            ApiRequest.Post("/stages").As("alice").Body("""{"name":"json","visibility":"public"}""", contentType));
        Assert.Equal(201, created.Status);
    }

    [Fact]
    public async Task Requests_without_a_body_need_no_content_type()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var token = await _api.SendAsync(
            ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice").WithoutHeader("content-type"));
        Assert.Equal(201, token.Status);
        var plain = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice").Header("content-type", "text/plain"));
        Assert.Equal(200, plain.Status);
        var deleted = await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}").As("alice").WithoutHeader("content-type"));
        Assert.True(deleted.Status is 200 or 204, deleted.Body);
    }

    private sealed class UnavailableStageStore : InMemoryStageStore
    {
        public bool Failing { get; set; }

        private Exception Throttled() => new StoreUnavailableException("DynamoDB could not serve the request after retries.",
            "ProvisionedThroughputExceededException", new InvalidOperationException("ProvisionedThroughputExceededException"));

        public override Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken) =>
            Failing ? throw Throttled() : base.FindAsync(stageId, cancellationToken);

        public override Task AddAsync(Stage stage, CancellationToken cancellationToken) =>
            Failing ? throw Throttled() : base.AddAsync(stage, cancellationToken);

        public override Task<Page<Stage>> ListOwnedByAsync(string ownerId, PageRequest page, CancellationToken cancellationToken) =>
            Failing ? throw Throttled() : base.ListOwnedByAsync(ownerId, page, cancellationToken);
    }
}

/// <summary>Cursors against the production stores on DynamoDB Local: every wrong kind is 400 invalid-cursor.</summary>
public sealed class InvalidCursorRouteTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartOnDynamoDbLocalAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string Cursor(params (string Name, string Value)[] key) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(key.ToDictionary(k => k.Name, k => k.Value)));

    [Fact]
    public async Task Forged_truncated_oversized_and_foreign_cursors_are_400_invalid_cursor()
    {
        var stageId = await _api.CreateStageAsync("alice");
        await _api.CreateStageAsync("alice");
        var real = (await _api.SendAsync(ApiRequest.Get("/stages").As("alice").Query("limit", "1"))).Json.GetProperty(
            "nextCursor").GetString()!;

        var cases = new List<(string Path, string Cursor)>
        {
            ("/stages", Cursor(("GSI1PK", "OWNER#alice"), ("GSI1SK", ""), ("PK", ""), ("SK", ""))),
            ("/stages", Cursor(("GSI1PK", "OWNER#alice"), ("GSI1SK", "2026"), ("PK", "STAGE#x"), ("SK", ""))),
            ("/stages?scope=live", Cursor(("GSI2PK", "LIVE"), ("GSI2SK", ""), ("PK", ""), ("SK", ""))),
            ("/stages", real[..(real.Length / 2)]),
            ("/stages", real[..^1]),
            ("/stages", new string('A', 2049)),
            ($"/stages/{stageId}/sessions", new string('A', 2049)),
            ($"/stages/{stageId}/sessions", Cursor(("GSI1PK", "SESSIONS#" + stageId), ("GSI1SK", ""), ("PK", ""), ("SK", ""))),
            (
                $"/stages/{stageId}/sessions", Cursor(
                ("GSI1PK", "SESSIONS#" + stageId), ("GSI1SK", "x"), ("PK", "STAGE#AAAAAAAAAAAA"), ("SK", "SESSION#st-x"))),
            ($"/stages/{stageId}/sessions", real),
        };
        foreach (var (path, cursor) in cases)
        {
            var request = ApiRequest.Get(path.Split('?')[0]).As("alice").Query("cursor", cursor);
            if (path.EndsWith("live", StringComparison.Ordinal))
            {
                request.Query("scope", "live");
            }

            var response = await _api.SendAsync(request);
            Assert.True((400, "invalid-cursor") == (response.Status, response.Code),
                $"{path} cursor {cursor[..Math.Min(60, cursor.Length)]}: {response.Status} {response.Body}");
            Assert.Equal(["cursor"], response.ErrorFields);
        }
    }
}
