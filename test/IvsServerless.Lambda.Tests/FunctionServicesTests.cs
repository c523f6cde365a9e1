using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;

namespace IvsServerless.Lambda.Tests;

/// <summary>The composition root builds every handler from its settings alone (no AWS call at init).</summary>
public sealed class FunctionServicesTests
{
    private static readonly Dictionary<string, string> Valid = new()
    {
        ["AWS_REGION"] = "us-east-1",
        ["TABLE_NAME"] = "items",
        ["DEPLOYMENT_TAG"] = "prod",
    };

    [Fact]
    public void Key_rotation_function_fails_init_naming_each_missing_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => FunctionServices.From(Read(Valid)).CreateKeyRotationHandler());
        Assert.Contains("TOKEN_SIGNING_KEY_PARAMETER is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("TOKEN_SIGNING_KMS_KEY_ID is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_modes_and_the_rotation_build_their_handlers_without_touching_AWS()
    {
        var environment = new Dictionary<string, string>(Valid)
        {
            ["TOKEN_MODE"] = "self-signed",
            ["TOKEN_SIGNING_KEY_PARAMETER"] = "/p",
            ["TOKEN_SIGNING_KMS_KEY_ID"] = "alias/k",
        };
        var services = FunctionServices.From(Read(environment));
        Assert.NotNull(services.CreateApiHandler());
        Assert.NotNull(services.CreateKeyRotationHandler());
        Assert.NotNull(FunctionServices.From(Read(Valid)).CreateApiHandler());
    }

    [Fact]
    public void The_reconciler_builds_with_its_settings()
    {
        var environment = new Dictionary<string, string>(Valid) { ["IDLE_STAGE_MINUTES"] = "90", ["RECONCILER_CALLS_PER_SECOND"] = "3" };
        Assert.NotNull(FunctionServices.From(Read(environment)).CreateReconcilerHandler());
    }

    [Fact]
    public void A_bad_environment_fails_the_handler_at_init_with_the_settings_error()
    {
        var registry = FunctionHandlers.Registry(Read(new Dictionary<string, string>(Valid) { ["IDLE_STAGE_MINUTES"] = "1" }));
        Assert.True(registry.TryGetFactory(BackendFunctions.Reconciler.Handler, out var factory));
        var error = Assert.Throws<InvalidOperationException>(() => factory());
        Assert.Contains("IDLE_STAGE_MINUTES must be a whole number of minutes from 10 to 525600", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Read(Dictionary<string, string> environment) => name => environment.GetValueOrDefault(name);
}

public sealed class FunctionHandlersTests
{
    [Fact]
    public void Every_function_of_the_contract_is_dispatched_by_its_handler_name() => Assert.Equal(
        ["api", "compositions", "ivs-events", "key-rotation", "live-authorizer", "live-connections", "notifier", "reconciler", "stages",
            "tokens"],
        FunctionHandlers.Registry().Names.Order(StringComparer.Ordinal));

    [Fact]
    public void Each_API_function_serves_exactly_its_declared_routes()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_REGION"] = "us-east-1",
            ["TABLE_NAME"] = "items",
            ["DEPLOYMENT_TAG"] = "prod"
        };
        var registry = FunctionHandlers.Registry(environment.GetValueOrDefault);
        foreach (var function in BackendFunctions.All.Where(f => f.Kind == FunctionKind.HttpApi))
        {
            Assert.True(registry.TryGetFactory(function.Handler, out var factory));
            var handler = Assert.IsType<Api.ApiHandler>(factory());
            Assert.Equal(Deployment.Routes.ApiRoutes.Of(function.RouteGroups), handler.Routes.Select(r => r.Declaration));
        }
    }

    [Fact]
    public void The_live_functions_are_built_from_their_settings_and_refuse_to_start_without_them()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_REGION"] = "us-east-1",
            ["TABLE_NAME"] = "items",
            ["DEPLOYMENT_TAG"] = "prod",
            ["LIVE_JWT_ISSUER"] = "https://issuer.example.com",
            ["LIVE_JWT_AUDIENCES"] = "app",
            ["LIVE_MANAGEMENT_ENDPOINT"] = "https://abc.execute-api.us-east-1.amazonaws.com/live",
        };
        var registry = FunctionHandlers.Registry(environment.GetValueOrDefault);
        Assert.True(registry.TryGetFactory("live-authorizer", out var authorizer));
        Assert.IsType<Live.Connections.ConnectAuthorizerHandler>(authorizer());
        Assert.True(registry.TryGetFactory("live-connections", out var routes));
        Assert.IsType<Live.Connections.WebSocketRouteHandler>(routes());
        Assert.True(registry.TryGetFactory("notifier", out var notifier));
        Assert.IsType<Live.Notifier.NotifierHandler>(notifier());

        environment.Remove("LIVE_JWT_ISSUER");
        environment.Remove("LIVE_JWT_AUDIENCES");
        environment.Remove("LIVE_MANAGEMENT_ENDPOINT");
        var bare = FunctionHandlers.Registry(environment.GetValueOrDefault);
        Assert.True(bare.TryGetFactory("live-authorizer", out var missingIssuer));
        Assert.Contains(
            "LIVE_JWT_ISSUER", Assert.Throws<InvalidOperationException>(() => missingIssuer()).Message, StringComparison.Ordinal);
        Assert.True(bare.TryGetFactory("notifier", out var missingEndpoint));
        Assert.Contains("LIVE_MANAGEMENT_ENDPOINT", Assert.Throws<InvalidOperationException>(() => missingEndpoint()).Message,
            StringComparison.Ordinal);
    }
}
