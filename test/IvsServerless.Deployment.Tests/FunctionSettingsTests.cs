using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Settings;

namespace IvsServerless.Deployment.Tests;

/// <summary>Each settings record reads what it writes, and a bad environment fails init naming every bad variable.</summary>
public sealed class FunctionSettingsTests
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
        var settings = FunctionSettings.From(Read(Valid));
        Assert.Equal(("us-east-1", "items", "prod"), (settings.Aws.Region, settings.Table.TableName, settings.Table.DeploymentTag));
        Assert.Null(settings.Aws.IvsEndpoint);
        Assert.Equal(TimeSpan.FromHours(1), settings.Tokens.Policy().DefaultDuration);
        Assert.Equal(TokenMintingMode.Api, settings.Tokens.Mode);
    }

    [Theory]
    [InlineData("TABLE_NAME", "", "TABLE_NAME is required")]
    [InlineData("AWS_REGION", "", "AWS_REGION is required")]
    [InlineData("IVS_ENDPOINT", "not a url", "IVS_ENDPOINT must be an absolute http(s) URL")]
    [InlineData("TOKEN_MAX_DURATION_MINUTES", "0", "TOKEN_MAX_DURATION_MINUTES must be a whole number")]
    [InlineData("TOKEN_MAX_DURATION_MINUTES", "30000", "MaxDuration must be between 1 minute and 14 days")]
    [
        InlineData(
        "COMPOSITION_STORAGE_CONFIGURATION_ARN", "arn:aws:ivs:us-east-1:123456789012:storage-configuration/abc",
        "COMPOSITION_ENCODER_CONFIGURATION_ARN goes with")]
    [
        InlineData(
        "COMPOSITION_CHANNEL_ARN", "arn:aws:ivs:us-east-1:123456789012:channel/abc", "COMPOSITION_ENCODER_CONFIGURATION_ARN goes with")]
    [
        InlineData(
        "COMPOSITION_ENCODER_CONFIGURATION_ARN", "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/abc",
        "COMPOSITION_ENCODER_CONFIGURATION_ARN goes with")]
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
        var error = Assert.Throws<InvalidOperationException>(() => FunctionSettings.From(Read(environment)));
        Assert.StartsWith("Invalid function configuration: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_named_in_one_init_error()
    {
        var environment = new Dictionary<string, string> { ["IDLE_STAGE_MINUTES"] = "1", ["TOKEN_MODE"] = "x" };
        var error = Assert.Throws<InvalidOperationException>(() => FunctionSettings.From(Read(environment)));
        foreach (var expected in new[] {
            "AWS_REGION is required", "TABLE_NAME is required", "DEPLOYMENT_TAG is required", "TOKEN_MODE must be",
            "IDLE_STAGE_MINUTES must be" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_channel_alone_is_a_composition_destination()
    {
        var environment = new Dictionary<string, string>(Valid)
        {
            ["COMPOSITION_CHANNEL_ARN"] = "arn:aws:ivs:us-east-1:123456789012:channel/abc",
            ["COMPOSITION_ENCODER_CONFIGURATION_ARN"] = "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/abc",
        };

        var settings = FunctionSettings.From(Read(environment));

        Assert.Equal("arn:aws:ivs:us-east-1:123456789012:channel/abc", settings.Compositions.ChannelArn);
        Assert.Null(settings.Compositions.StorageConfigurationArn);
    }

    [Fact]
    public void Token_mode_defaults_to_the_IVS_API_and_self_signed_reads_its_key_settings()
    {
        var environment = new Dictionary<string, string>(Valid)
        {
            ["TOKEN_MODE"] = "self-signed",
            ["TOKEN_SIGNING_KEY_PARAMETER"] = "/ivs-serverless/prod/token-signing-key",
            ["TOKEN_SIGNING_KMS_KEY_ID"] = "alias/ivs-serverless-prod",
            ["TOKEN_SIGNING_KEY_CACHE_SECONDS"] = "60",
        };
        var tokens = FunctionSettings.From(Read(environment)).Tokens;
        Assert.Equal(TokenMintingMode.SelfSigned, tokens.Mode);
        Assert.Equal("/ivs-serverless/prod/token-signing-key", tokens.SigningKeyParameter);
        Assert.Equal("alias/ivs-serverless-prod", tokens.SigningKmsKeyId);
        Assert.Equal(TimeSpan.FromSeconds(60), tokens.SigningKeyCacheTtl);
        tokens.RequireKeyRotationSettings();
    }

    [Fact]
    public void Key_rotation_settings_name_each_missing_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => FunctionSettings.From(Read(Valid)).Tokens.RequireKeyRotationSettings());
        Assert.Contains("TOKEN_SIGNING_KEY_PARAMETER is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("TOKEN_SIGNING_KMS_KEY_ID is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reconciler_settings_default_to_a_day_and_the_IVS_quota()
    {
        var defaults = FunctionSettings.From(Read(Valid)).Reconciler;
        Assert.Equal((TimeSpan.FromDays(1), 5), (defaults.IdleStageAfter, defaults.CallsPerSecondOrDefault));

        var environment = new Dictionary<string, string>(Valid) { ["IDLE_STAGE_MINUTES"] = "90", ["RECONCILER_CALLS_PER_SECOND"] = "3" };
        var configured = FunctionSettings.From(Read(environment)).Reconciler;
        Assert.Equal((TimeSpan.FromMinutes(90), 3), (configured.IdleStageAfter, configured.CallsPerSecondOrDefault));
    }

    [Fact]
    public void Longer_token_cap_keeps_the_1_hour_default()
    {
        var environment = new Dictionary<string, string>(Valid) { ["TOKEN_MAX_DURATION_MINUTES"] = "20160" };
        var policy = FunctionSettings.From(Read(environment)).Tokens.Policy();
        Assert.Equal((TimeSpan.FromDays(14), TimeSpan.FromHours(1)), (policy.MaxDuration, policy.DefaultDuration));
    }

    [Fact]
    public void A_shorter_cap_lowers_the_default_duration_to_it()
    {
        var policy = new TokenSettings { MaxDurationMinutes = 60 }.Policy();
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(1)), (policy.MaxDuration, policy.DefaultDuration));
    }

    [Fact]
    public void Settings_read_back_exactly_what_they_write()
    {
        var written = new FunctionSettings(
            new AwsEndpointSettings("eu-west-1")
            {
                IvsEndpoint = new Uri("http://127.0.0.1:4566"),
                DynamoDbEndpoint = new Uri("http://127.0.0.1:8000"),
                SsmEndpoint = new Uri("http://127.0.0.1:9000"),
            },
            new TableSettings("items", "prod"),
            new TokenSettings
            {
                Mode = TokenMintingMode.SelfSigned,
                MaxDurationMinutes = 60,
                DefaultDurationMinutes = 30,
                SigningKeyParameter = "/p",
                SigningKmsKeyId = "alias/k",
                SigningKeyCacheSeconds = 120,
            },
            new CompositionSettings { StorageConfigurationArn = "arn:s", EncoderConfigurationArn = "arn:e", ChannelArn = "arn:c" },
            new ReconcilerSettings { IdleStageMinutes = 90, CallsPerSecond = 2 })
        {
            Recordings = new RecordingSettings
            {
                StorageConfigurationArn = "arn:aws:ivs:eu-west-1:123456789012:storage-configuration/Rec1",
                BucketName = "recordings-1",
                S3EndpointUrl = new Uri("http://127.0.0.1:4569/"),
                PlaybackUrlMinutes = 15,
            },
            Quotas = new QuotaSettings { StagesPerOwner = 5, ConcurrentCompositionsPerOwner = 1, TokenMintsPerMinute = 600 },
        };

        var variables = written.Variables();

        Assert.Equal(written, FunctionSettings.From(variables.GetValueOrDefault));
        Assert.Equal("http://127.0.0.1:4566", variables["IVS_ENDPOINT"]);
        Assert.Equal("self-signed", variables["TOKEN_MODE"]);
        Assert.Equal("600", variables["QUOTA_TOKEN_MINTS_PER_MINUTE"]);
    }

    [Fact]
    public void Unset_values_are_not_written_so_the_function_applies_its_defaults()
    {
        var variables = new FunctionSettings(new AwsEndpointSettings("us-east-1"), new TableSettings("items", "prod"), new TokenSettings(),
            new CompositionSettings(), new ReconcilerSettings()).Variables();

        Assert.Equal(["AWS_REGION", "DEPLOYMENT_TAG", "TABLE_NAME"], variables.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("arn:aws:ivs:us-east-1:123456789012:stage/abc")]
    [InlineData("storage-configuration/abc")]
    [InlineData("arn:aws:ivs:us-east-1:123456789012:storage-configuration/a_b")]
    public void A_recording_storage_configuration_must_be_one(string value)
    {
        var environment = new Dictionary<string, string>(Valid) { ["RECORDING_STORAGE_CONFIGURATION_ARN"] = value };
        var error = Assert.ThrowsAny<Exception>(() => FunctionSettings.From(Read(environment)));
        Assert.Contains("RECORDING_STORAGE_CONFIGURATION_ARN must be an IVS storage configuration ARN", error.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Recordings")]
    [InlineData("my_bucket")]
    [InlineData("-recordings")]
    [InlineData("a..b")]
    [InlineData("192.168.1.10")]
    [InlineData("xn--recordings")]
    [InlineData("recordings-s3alias")]
    public void A_recordings_bucket_must_be_an_S3_bucket_name(string value)
    {
        var environment = new Dictionary<string, string>(Valid) { ["RECORDINGS_BUCKET"] = value };
        var error = Assert.ThrowsAny<Exception>(() => FunctionSettings.From(Read(environment)));
        Assert.Contains("RECORDINGS_BUCKET must be an S3 bucket name", error.Message);
    }

    [Fact]
    public void The_S3_endpoint_override_must_be_an_http_url()
    {
        var environment = new Dictionary<string, string>(Valid) { ["S3_ENDPOINT_URL"] = "127.0.0.1:9000" };
        var error = Assert.ThrowsAny<Exception>(() => FunctionSettings.From(Read(environment)));
        Assert.Contains("S3_ENDPOINT_URL must be an absolute http(s) URL", error.Message);
    }

    private static Func<string, string?> Read(Dictionary<string, string> environment) => name => environment.GetValueOrDefault(name);

    [Theory]
    [InlineData("RECORDINGS_BUCKET", "Upper_Case", "RECORDINGS_BUCKET must be an S3 bucket name")]
    [InlineData("RECORDINGS_BUCKET", "ab", "RECORDINGS_BUCKET must be an S3 bucket name")]
    [InlineData("S3_ENDPOINT_URL", "ftp://s3", "S3_ENDPOINT_URL must be an absolute http(s) URL")]
    [InlineData("RECORDING_PLAYBACK_URL_MINUTES", "0", "RECORDING_PLAYBACK_URL_MINUTES")]
    [InlineData("RECORDING_PLAYBACK_URL_MINUTES", "721", "RECORDING_PLAYBACK_URL_MINUTES")]
    public void Recording_bucket_settings_are_checked(string name, string value, string message)
    {
        var environment = new Dictionary<string, string>(Valid) { [name] = value };
        var error = Assert.ThrowsAny<Exception>(() => FunctionSettings.From(Read(environment)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Playback_urls_last_an_hour_unless_set()
    {
        var settings = FunctionSettings.From(Read(new Dictionary<string, string>(Valid)));
        Assert.Equal(TimeSpan.FromHours(1), settings.Recordings.PlaybackUrlLifetime);
    }
}
