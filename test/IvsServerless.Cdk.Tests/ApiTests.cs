using System.Text.Json.Nodes;
using IvsServerless.Cdk.Tests.Support;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Routes;
using IvsServerless.Lambda;

namespace IvsServerless.Cdk.Tests;

[Collection(CdkCollection.Name)]
public sealed class ApiTests(SynthesizedStacks stacks)
{
    private readonly SynthesizedStack _default = stacks.Default;

    private static Dictionary<string, JsonNode> Routes(SynthesizedStack stack) =>
        stack.HttpApiResources("AWS::ApiGatewayV2::Route").ToDictionary(
            r => r.Resource["Properties"]!["RouteKey"]!.GetValue<string>(), r => r.Resource["Properties"]!);

    [Fact]
    public void The_api_declares_one_route_per_entry_of_the_route_table()
    {
        Assert.Equal(ApiRoutes.All.Select(r => r.Key).Order(StringComparer.Ordinal), Routes(_default).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_route_but_health_and_the_signed_url_routes_is_behind_the_jwt_authorizer()
    {
        var authorizer = Assert.Single(_default.HttpApiResources("AWS::ApiGatewayV2::Authorizer"));
        Assert.Equal("JWT", authorizer.Resource["Properties"]!["AuthorizerType"]!.GetValue<string>());

        foreach (var (key, route) in Routes(_default))
        {
            if (key is "GET /health" or "GET /recordings/playlist")
            {
                Assert.Equal("NONE", route["AuthorizationType"]!.GetValue<string>());
                Assert.Null(route["AuthorizerId"]);
            }
            else
            {
                Assert.Equal("JWT", route["AuthorizationType"]!.GetValue<string>());
                Assert.Equal(authorizer.Id, SynthesizedStack.Target(route["AuthorizerId"]));
            }
        }
    }

    [Fact]
    public void Each_route_reaches_the_function_whose_handler_serves_its_route_group()
    {
        var groups = ApiRoutes.All.ToDictionary(r => r.Key, r => r.Group);
        foreach (var (key, route) in Routes(_default))
        {
            // Target: "integrations/<integration id>" as an Fn::Join.
            var integrationId = SynthesizedStack.Target(route["Target"]!["Fn::Join"]![1]![1]);
            var functionId = SynthesizedStack.Target(_default.Properties(integrationId)["IntegrationUri"]);
            var handler = _default.Properties(functionId)["Handler"]!.GetValue<string>();

            Assert.Contains(groups[key], BackendFunctions.Named(handler).RouteGroups);
        }
    }

    [Fact]
    public void The_default_authorizer_trusts_the_created_user_pool_and_its_app_client()
    {
        var jwt = Assert.Single(_default.HttpApiResources("AWS::ApiGatewayV2::Authorizer")).Resource["Properties"]!["JwtConfiguration"]!;
        var pool = Assert.Single(_default.Resources("AWS::Cognito::UserPool")).Id;
        var client = Assert.Single(_default.Resources("AWS::Cognito::UserPoolClient")).Id;

        Assert.Equal(client, SynthesizedStack.Target(Assert.Single(jwt["Audience"]!.AsArray())));
        var issuer = jwt["Issuer"]!.ToJsonString();
        Assert.Contains("https://cognito-idp.", issuer, StringComparison.Ordinal);
        Assert.Contains($"{{\"Ref\":\"{pool}\"}}", issuer, StringComparison.Ordinal);
        Assert.Equal(
            ["$request.header.Authorization"], TemplateQueries.Strings(
            _default.HttpApiResources("AWS::ApiGatewayV2::Authorizer").Single().Resource["Properties"]!["IdentitySource"]));
    }

    [Fact]
    public void The_app_client_is_public_and_signs_in_with_srp_only()
    {
        var client = Assert.Single(_default.Resources("AWS::Cognito::UserPoolClient")).Resource["Properties"]!;

        Assert.False(client["GenerateSecret"]!.GetValue<bool>());
        Assert.Equal(
            ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"], TemplateQueries.Strings(client["ExplicitAuthFlows"]).Order(
            StringComparer.Ordinal));
        Assert.Null(client["AllowedOAuthFlows"]);
        Assert.Null(client["CallbackURLs"]);
        Assert.True(
            _default.Resources("AWS::Cognito::UserPool").Single().Resource["Properties"]!["AdminCreateUserConfig"]![
            "AllowAdminCreateUserOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void A_configured_issuer_replaces_the_user_pool()
    {
        var jwt = Assert.Single(stacks.Configured.HttpApiResources("AWS::ApiGatewayV2::Authorizer")).Resource["Properties"]![
            "JwtConfiguration"]!;

        Assert.Equal("https://login.example.com/", jwt["Issuer"]!.GetValue<string>());
        Assert.Equal(["app-one", "app-two"], TemplateQueries.Strings(jwt["Audience"]));
        Assert.Empty(stacks.Configured.Resources("AWS::Cognito::UserPool"));
    }

    [Fact]
    public void The_stage_throttles_every_route()
    {
        var stage = Assert.Single(_default.HttpApiResources("AWS::ApiGatewayV2::Stage")).Resource["Properties"]!;

        Assert.Equal("$default", stage["StageName"]!.GetValue<string>());
        Assert.Equal(100, stage["DefaultRouteSettings"]!["ThrottlingRateLimit"]!.GetValue<int>());
        Assert.Equal(200, stage["DefaultRouteSettings"]!["ThrottlingBurstLimit"]!.GetValue<int>());
    }

    [Fact]
    public void Cors_allows_exactly_the_configured_origins_and_is_off_by_default()
    {
        Assert.Null(_default.HttpApiResources("AWS::ApiGatewayV2::Api").Single().Resource["Properties"]!["CorsConfiguration"]);
        var cors = stacks.Configured.HttpApiResources("AWS::ApiGatewayV2::Api").Single().Resource["Properties"]!["CorsConfiguration"]!;

        Assert.Equal(["https://app.example.com", "http://localhost:5173"], TemplateQueries.Strings(cors["AllowOrigins"]));
        Assert.Contains("authorization", TemplateQueries.Strings(cors["AllowHeaders"]));
        Assert.Contains("idempotency-key", TemplateQueries.Strings(cors["AllowHeaders"]));
    }

    [Fact]
    public void Outputs_name_the_api_url_user_pool_ids_and_table()
    {
        var outputs = _default.Json["Outputs"]!.AsObject();

        Assert.All(
            ["ApiUrl", "UserPoolId", "UserPoolClientId", "TableName", "JwtIssuer", "AlarmTopicArn"], name =>
            Assert.True(outputs.ContainsKey(name), name));
        Assert.False(stacks.Configured.Json["Outputs"]!.AsObject().ContainsKey("UserPoolId"));
    }
}
