using IvsServerless.Api.HttpApi;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Deployment.Routes;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Api.Tests;

/// <summary>
/// One function per concern in AWS: the same handler restricted to its route groups. The groups partition the
/// route table, and a restricted handler answers only its own routes.
/// </summary>
public sealed class RouteGroupTests : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    private ApiHandler Handler(params string[]? groups) => new(
        new InMemoryStageStore(), new InMemoryCompositionStore(), new InMemoryUsageLedger(),
        ApiIvsPorts.Of(new IvsRealTimeAdapter(
            new IvsRealTimeClient(
                _http, new IvsRealTimeClientOptions { Region = "us-east-1" }, new Amazon.Runtime.AnonymousAWSCredentials()))),
        new ApiOptions { DeploymentTag = "tests" }, routeGroups: groups);

    [Fact]
    public void Compositions_tokens_and_health_hold_exactly_their_routes_and_every_other_route_is_a_stage_route()
    {
        var catalogue = ApiRoutes.All;

        Assert.All(
            catalogue, r => Assert.Equal(r.Key.Contains("/compositions", StringComparison.Ordinal), r.Group == RouteGroups.Compositions));
        Assert.Equal(
            [
                "DELETE /stages/{stageId}/bans/{userId}", "DELETE /stages/{stageId}/ingest-configurations/{ingestConfigurationId}",
                "DELETE /stages/{stageId}/replications/{participantId}", "GET /stages/{stageId}/bans",
                "GET /stages/{stageId}/ingest-configurations", "GET /stages/{stageId}/replications",
                "POST /stages/{stageId}/ingest-configurations", "POST /stages/{stageId}/participant-tokens",
                "POST /stages/{stageId}/participant-tokens/exchange", "POST /stages/{stageId}/participants/{participantId}/disconnect",
                "POST /stages/{stageId}/replications"],
            catalogue.Where(r => r.Group == RouteGroups.Tokens).Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["GET /health"], catalogue.Where(r => r.Group == RouteGroups.Health).Select(r => r.Key));
        Assert.Contains(catalogue, r => r.Key == "POST /stages" && r.Group == RouteGroups.Stages);
        Assert.All(catalogue, r => Assert.Contains(r.Group, RouteGroups.All));
    }

    [Fact]
    public void The_handler_serves_every_route_of_the_contract_in_its_order()
    {
        Assert.Equal(ApiRoutes.All, Handler(null).Routes.Select(r => r.Declaration));
    }

    [Fact]
    public void A_restricted_handler_serves_only_its_groups_in_table_order()
    {
        var tokens = Handler(RouteGroups.Tokens);

        Assert.Equal(
            ApiRoutes.All.Where(r => r.Group == RouteGroups.Tokens).Select(r => r.Key),
            tokens.Routes.Select(r => r.Key));
    }

    [Fact]
    public async Task A_route_of_another_group_is_not_found_on_a_restricted_handler()
    {
        var response = new ApiResponse(await Handler(RouteGroups.Compositions).HandleAsync(
            ApiRequest.Post("/stages").As("alice").Json("""{"name":"x","visibility":"public"}""").Build(),
            new LambdaContext { AwsRequestId = "r1" }, CancellationToken.None));

        Assert.Equal(404, response.Status);
        Assert.Equal("route-not-found", response.Code);
    }

    [Fact]
    public async Task Health_answers_without_a_caller()
    {
        var response = new ApiResponse(await Handler(RouteGroups.Stages, RouteGroups.Health).HandleAsync(
            ApiRequest.Get("/health").Build(), new LambdaContext { AwsRequestId = "r1" }, CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.Json.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("")]
    public void An_unknown_group_is_refused_at_construction(string group)
    {
        Assert.Throws<ArgumentException>(() => Handler(group));
    }

    [Fact]
    public void No_group_at_all_is_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(
            () =>
            RouteGroupFilter.Filter(
            ApiRoutes.All.Select(
            _ => new Route(new RouteDeclaration("GET", "/x", RouteGroups.Stages), _ => throw new InvalidOperationException())), []));
    }
}
