using IvsServerless.Core.Tokens;

namespace IvsServerless.Lambda.Tests;

public sealed class FunctionConfigurationTests
{
    private static readonly Dictionary<string, string> Valid = new()
    {
        ["AWS_REGION"] = "us-east-1",
        ["TABLE_NAME"] = "items",
        ["DEPLOYMENT_TAG"] = "prod",
    };

    [Fact]
    public void Minimal_environment_gives_defaults()
    {
        var configuration = FunctionConfiguration.From(Read(Valid));
        Assert.Equal(("us-east-1", "items", "prod"), (configuration.Region, configuration.TableName, configuration.DeploymentTag));
        Assert.Null(configuration.IvsEndpoint);
        Assert.Equal(TimeSpan.FromHours(12), configuration.TokenPolicy.DefaultDuration);
    }

    [Theory]
    [InlineData("TABLE_NAME", "", "TABLE_NAME is required")]
    [InlineData("AWS_REGION", "", "AWS_REGION is required")]
    [InlineData("IVS_ENDPOINT", "not a url", "IVS_ENDPOINT must be an absolute http(s) URL")]
    [InlineData("TOKEN_MAX_DURATION_MINUTES", "0", "TOKEN_MAX_DURATION_MINUTES must be a whole number")]
    [InlineData("TOKEN_MAX_DURATION_MINUTES", "30000", "MaxDuration must be between 1 minute and 14 days")]
    [InlineData("COMPOSITION_STORAGE_CONFIGURATION_ARN", "arn:aws:ivs:us-east-1:123456789012:storage-configuration/abc", "go together")]
    [InlineData("TOKEN_MODE", "selfsigned", "TOKEN_MODE must be \"api\" or \"self-signed\"")]
    [InlineData("TOKEN_MODE", "self-signed", "TOKEN_SIGNING_KEY_PARAMETER is required when TOKEN_MODE is self-signed")]
    [InlineData("TOKEN_SIGNING_KEY_CACHE_SECONDS", "0", "TOKEN_SIGNING_KEY_CACHE_SECONDS must be a whole number of seconds from 1 to 3600")]
    [InlineData("SSM_ENDPOINT", "ftp://x", "SSM_ENDPOINT must be an absolute http(s) URL")]
    [InlineData("IDLE_STAGE_MINUTES", "9", "IDLE_STAGE_MINUTES must be a whole number of minutes from 10 to 525600")]
    [InlineData("IDLE_STAGE_MINUTES", "1h", "IDLE_STAGE_MINUTES must be a whole number of minutes from 10 to 525600")]
    [InlineData("RECONCILER_CALLS_PER_SECOND", "6", "RECONCILER_CALLS_PER_SECOND must be a whole number of calls per second from 1 to 5")]
    [InlineData("RECONCILER_CALLS_PER_SECOND", "0", "RECONCILER_CALLS_PER_SECOND must be a whole number of calls per second from 1 to 5")]
    public void Bad_settings_fail_at_init_naming_the_variable(string name, string value, string expected)
    {
        var environment = new Dictionary<string, string>(Valid) { [name] = value };
        var error = Assert.Throws<InvalidOperationException>(() => FunctionConfiguration.From(Read(environment)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_mode_defaults_to_the_IVS_API_and_self_signed_reads_its_key_settings()
    {
        Assert.Equal(TokenMintingMode.Api, FunctionConfiguration.From(Read(Valid)).TokenMode);

        var environment = new Dictionary<string, string>(Valid)
        {
            ["TOKEN_MODE"] = "self-signed",
            ["TOKEN_SIGNING_KEY_PARAMETER"] = "/ivs-serverless/prod/token-signing-key",
            ["TOKEN_SIGNING_KMS_KEY_ID"] = "alias/ivs-serverless-prod",
            ["TOKEN_SIGNING_KEY_CACHE_SECONDS"] = "60",
        };
        var configuration = FunctionConfiguration.From(Read(environment));
        Assert.Equal(TokenMintingMode.SelfSigned, configuration.TokenMode);
        Assert.Equal("/ivs-serverless/prod/token-signing-key", configuration.TokenSigningKeyParameter);
        Assert.Equal("alias/ivs-serverless-prod", configuration.TokenSigningKmsKeyId);
        Assert.Equal(TimeSpan.FromSeconds(60), configuration.TokenSigningKeyCacheTtl);
        configuration.RequireKeyRotationSettings();
    }

    [Fact]
    public void Key_rotation_function_fails_init_naming_each_missing_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new FunctionServices(FunctionConfiguration.From(Read(Valid))).CreateKeyRotationHandler());
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
        var services = new FunctionServices(FunctionConfiguration.From(Read(environment)));
        Assert.NotNull(services.CreateApiHandler());
        Assert.NotNull(services.CreateKeyRotationHandler());
        Assert.NotNull(new FunctionServices(FunctionConfiguration.From(Read(Valid))).CreateApiHandler());
    }

    [Fact]
    public void Reconciler_settings_default_to_a_day_and_the_IVS_quota_and_build_the_handler()
    {
        var defaults = FunctionConfiguration.From(Read(Valid));
        Assert.Equal((TimeSpan.FromDays(1), 5), (defaults.IdleStageAfter, defaults.ReconcilerCallsPerSecond));

        var environment = new Dictionary<string, string>(Valid) { ["IDLE_STAGE_MINUTES"] = "90", ["RECONCILER_CALLS_PER_SECOND"] = "3" };
        var configuration = FunctionConfiguration.From(Read(environment));
        Assert.Equal((TimeSpan.FromMinutes(90), 3), (configuration.IdleStageAfter, configuration.ReconcilerCallsPerSecond));
        Assert.NotNull(new FunctionServices(configuration).CreateReconcilerHandler());
    }

    [Fact]
    public void Longer_token_cap_keeps_the_12_hour_default()
    {
        var environment = new Dictionary<string, string>(Valid) { ["TOKEN_MAX_DURATION_MINUTES"] = "20160" };
        var configuration = FunctionConfiguration.From(Read(environment));
        Assert.Equal((TimeSpan.FromDays(14), TimeSpan.FromHours(12)), (configuration.TokenPolicy.MaxDuration, configuration.TokenPolicy.DefaultDuration));
    }

    private static Func<string, string?> Read(Dictionary<string, string> environment) => name => environment.GetValueOrDefault(name);
}

public sealed class FunctionHandlersTests
{
    [Fact]
    public void Names_are_the_registry_entries() =>
        Assert.Equal([FunctionHandlers.Api, FunctionHandlers.IvsEvents, FunctionHandlers.KeyRotation, FunctionHandlers.Reconciler], FunctionHandlers.Names);
}
