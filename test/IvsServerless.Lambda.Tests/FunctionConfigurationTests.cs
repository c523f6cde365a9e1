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
    public void Bad_settings_fail_at_init_naming_the_variable(string name, string value, string expected)
    {
        var environment = new Dictionary<string, string>(Valid) { [name] = value };
        var error = Assert.Throws<InvalidOperationException>(() => FunctionConfiguration.From(Read(environment)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
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
    public void Names_are_the_registry_entries() => Assert.Equal([FunctionHandlers.Api, FunctionHandlers.IvsEvents], FunctionHandlers.Names);
}
