using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Access;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Routes;

namespace IvsServerless.Deployment.Tests;

/// <summary>The contract is coherent: names unique, every route served once in AWS, grants that name no wildcard action.</summary>
public sealed class BackendFunctionsTests
{
    [Fact]
    public void Handler_names_are_unique_and_found_by_name()
    {
        Assert.Equal(BackendFunctions.All.Count, BackendFunctions.All.Select(f => f.Handler).Distinct().Count());
        Assert.All(BackendFunctions.All, f => Assert.Same(f, BackendFunctions.Named(f.Handler)));
        Assert.Throws<ArgumentException>(() => BackendFunctions.Named("nope"));
    }

    [Fact]
    public void The_deployed_API_functions_serve_every_route_group_exactly_once_and_the_local_api_function_serves_all()
    {
        var deployed = BackendFunctions.All.Where(f => f.Kind == FunctionKind.HttpApi && f.Presence != FunctionPresence.NotDeployed)
            .SelectMany(f => f.RouteGroups).ToList();
        Assert.Equal(RouteGroups.All.Order(StringComparer.Ordinal), deployed.Order(StringComparer.Ordinal));
        Assert.Equal(RouteGroups.All, BackendFunctions.Api.RouteGroups);
        Assert.All(ApiRoutes.All, r => Assert.Contains(r.Group, RouteGroups.All));
    }

    [Fact]
    public void Route_keys_are_unique_and_only_health_and_the_signed_url_routes_are_open()
    {
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => r.Key).Distinct().Count());
        Assert.Equal(["GET /recordings/playlist", "GET /health"], ApiRoutes.All.Where(r => !r.RequiresAuthorization).Select(r => r.Key));
        Assert.Equal(
            [
                "POST /stages/{stageId}/participant-tokens", "POST /stages/{stageId}/participant-tokens/exchange",
                "POST /stages/{stageId}/participants/{participantId}/disconnect",
                "GET /stages/{stageId}/bans", "DELETE /stages/{stageId}/bans/{userId}",
                "POST /stages/{stageId}/ingest-configurations", "GET /stages/{stageId}/ingest-configurations",
                "DELETE /stages/{stageId}/ingest-configurations/{ingestConfigurationId}", "POST /stages/{stageId}/replications",
                "GET /stages/{stageId}/replications", "DELETE /stages/{stageId}/replications/{participantId}"],
            ApiRoutes.Of([RouteGroups.Tokens]).Select(r => r.Key));
    }

    [Fact]
    public void Only_non_http_functions_have_triggers_and_each_has_one()
    {
        // The live-updates functions are triggered by the WebSocket API (authorizer, routes) or the table's stream.
        Assert.All(BackendFunctions.All.Where(f => f.Kind is not (FunctionKind.HttpApi or FunctionKind.LiveAuthorizer
            or FunctionKind.LiveConnections or FunctionKind.LiveNotifier)),
            f => Assert.True(f.Rules.Count > 0 ^ f.Schedule is not null, $"{f.Handler}: exactly one of rules or schedule"));
        Assert.Equal(["$connect", "$disconnect", "$default"], BackendFunctions.LiveConnections.WebSocketRoutes);
        Assert.NotNull(BackendFunctions.LiveNotifier.TableStream);
        Assert.All(BackendFunctions.All.Where(f => f != BackendFunctions.LiveConnections), f => Assert.Empty(f.WebSocketRoutes));
        Assert.All(BackendFunctions.All.Where(f => f != BackendFunctions.LiveNotifier), f => Assert.Null(f.TableStream));
        Assert.All(
            BackendFunctions.All.Where(f => f.Kind == FunctionKind.HttpApi), f => Assert.True(f.Rules.Count == 0 && f.Schedule is null));
    }

    [Fact]
    public void Grants_name_explicit_actions_and_star_resources_only_for_list_actions()
    {
        foreach (var function in BackendFunctions.All)
        {
            foreach (var access in new[] { function.Access, function.SelfSignedAccess }.OfType<AwsAccess>())
            {
                Assert.All(access.Actions, a => Assert.DoesNotContain("*", a, StringComparison.Ordinal));
                Assert.All(access.Ivs.Where(g => g.Resources.Contains(IvsResource.Any)),
                    g => Assert.All(g.Actions, a => Assert.StartsWith("ivs:List", a, StringComparison.Ordinal)));
            }
        }
    }

    [Fact]
    public void Self_signed_tokens_change_only_the_tokens_function_and_bring_key_rotation()
    {
        Assert.Equal(
            ["tokens"], BackendFunctions.All.Where(f => f.AccessFor(TokenMintingMode.SelfSigned) != f.Access).Select(f => f.Handler));
        Assert.False(BackendFunctions.KeyRotation.IsDeployedWith(TokenMintingMode.Api));
        Assert.True(BackendFunctions.KeyRotation.IsDeployedWith(TokenMintingMode.SelfSigned));
        Assert.False(BackendFunctions.Api.IsDeployedWith(TokenMintingMode.SelfSigned));
    }
}
