using Amazon.CDK;
using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Functions;

namespace IvsServerless.Cdk.Tests;

/// <summary>Context is validated before anything is synthesized; every problem is named at once.</summary>
public sealed class DeploymentSettingsTests
{
    private static DeploymentSettings Read(params (string Key, object Value)[] context) =>
        DeploymentSettings.FromContext(key => context.FirstOrDefault(c => c.Key == key).Value);

    [Fact]
    public void No_context_gives_the_documented_defaults()
    {
        var settings = Read();

        Assert.Null(settings.JwtIssuer);
        Assert.Empty(settings.JwtAudiences);
        Assert.Empty(settings.CorsAllowedOrigins);
        Assert.Equal(RemovalPolicy.RETAIN, settings.RemovalPolicy);
        Assert.Equal("x86_64", settings.Architecture);
        Assert.Equal(720, settings.TokenMaxDurationMinutes);
        Assert.Null(settings.CompositionBucketName);
        Assert.False(settings.AllowSelfSignUp);
        Assert.Equal(TokenMintingMode.SelfSigned, settings.TokenMode);
        Assert.Equal(TokenMintingMode.Api, Read(("tokenMode", "api")).TokenMode);
        Assert.Equal(EventDelivery.Immediate, Read(("eventDelivery", "immediate")).EventDelivery);
        Assert.Equal(EventDelivery.Batched, Read().EventDelivery);
    }

    [Fact]
    public void Lists_come_comma_separated_from_the_command_line_or_as_arrays_from_cdk_json()
    {
        var fromCli = Read(("jwtIssuer", "https://issuer.example.com"), ("jwtAudience", "a, b"));
        var fromJson = Read(("jwtIssuer", "https://issuer.example.com"), ("jwtAudience", new object[] { "a", "b" }));

        Assert.Equal(["a", "b"], fromCli.JwtAudiences);
        Assert.Equal(["a", "b"], fromJson.JwtAudiences);
    }

    [Fact]
    public void Numbers_may_be_json_numbers()
    {
        Assert.Equal(30, Read(("tokenMaxDurationMinutes", 30d)).TokenMaxDurationMinutes);
    }

    [Theory]
    [InlineData("jwtIssuer", "http://insecure.example.com", "jwtIssuer must be an absolute https URL")]
    [InlineData("jwtAudience", "app", "jwtIssuer and jwtAudience go together")]
    [InlineData("corsAllowedOrigins", "https://app.example.com/path", "is not an origin")]
    [InlineData("tokenMaxDurationMinutes", "20161", "tokenMaxDurationMinutes must be a whole number from 1 to 20160")]
    [InlineData("idleStageTimeoutMinutes", "soon", "idleStageTimeoutMinutes must be")]
    [InlineData("reconcilerCallsPerSecond", "6", "reconcilerCallsPerSecond must be a whole number from 1 to 5")]
    [InlineData("removalPolicy", "snapshot", "removalPolicy must be retain or destroy")]
    [InlineData("architecture", "x86", "architecture must be x86_64 or arm64")]
    [InlineData("compositionBucketName", "Not_A_Bucket", "compositionBucketName must be an S3 bucket name")]
    [
        InlineData(
        "compositionChannelArn", "arn:aws:ivs:us-east-1:123456789012:stage/abc", "compositionChannelArn must be an IVS channel ARN")]
    [InlineData("alarmEmail", "nobody", "alarmEmail must be an email address")]
    [InlineData("stackName", "1stack", "stackName must be a CloudFormation stack name")]
    [InlineData("tokenMode", "jwt", "tokenMode must be api or self-signed")]
    [InlineData("eventDelivery", "fast", "eventDelivery must be batched or immediate")]
    public void A_bad_value_fails_naming_the_key(string key, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Read((key, value)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_together()
    {
        var error = Assert.Throws<ArgumentException>(() => Read(("removalPolicy", "x"), ("architecture", "y")));

        Assert.Contains("removalPolicy", error.Message, StringComparison.Ordinal);
        Assert.Contains("architecture", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_context_key_is_documented_in_the_deploy_guide()
    {
        var guide = File.ReadAllText(Path.Combine(Support.Repository.Root, "docs", "deploy.md"));

        Assert.All(DeploymentSettings.ContextKeys, key => Assert.Contains($"`{key}`", guide, StringComparison.Ordinal));
    }
}
