using System.Globalization;
using IvsServerless.Core.Tokens;
using IvsServerless.Core.TokenSigning;

namespace IvsServerless.Lambda;

/// <summary>
/// Everything a function reads from its environment, validated once at init: a missing or bad setting is an
/// init error naming the variable, not a failure on the first request.
/// </summary>
public sealed record FunctionConfiguration(
    string Region,
    string TableName,
    string DeploymentTag,
    Uri? IvsEndpoint,
    Uri? DynamoDbEndpoint,
    TokenPolicyOptions TokenPolicy,
    string? CompositionStorageConfigurationArn,
    string? CompositionEncoderConfigurationArn)
{
    /// <summary><c>TOKEN_MODE</c>: <c>api</c> (default, CreateParticipantToken) or <c>self-signed</c>.</summary>
    public TokenMintingMode TokenMode { get; init; }

    /// <summary><c>TOKEN_SIGNING_KEY_PARAMETER</c>: the SSM SecureString holding the current signing key (self-signed mode, key rotation).</summary>
    public string? TokenSigningKeyParameter { get; init; }

    /// <summary><c>TOKEN_SIGNING_KMS_KEY_ID</c>: the KMS key that encrypts that SecureString (key rotation writes with it).</summary>
    public string? TokenSigningKmsKeyId { get; init; }

    /// <summary><c>TOKEN_SIGNING_KEY_CACHE_SECONDS</c> (default 300): how long a container signs before re-reading the key.</summary>
    public TimeSpan TokenSigningKeyCacheTtl { get; init; } = SigningKeyCache.DefaultTtl;

    /// <summary><c>SSM_ENDPOINT</c>: an SSM-compatible endpoint instead of AWS (tests).</summary>
    public Uri? SsmEndpoint { get; init; }

    /// <summary><c>IDLE_STAGE_MINUTES</c> (default 1440, 10 to 525600): the reconciler deletes stages of this deployment unused for this long.</summary>
    public TimeSpan IdleStageAfter { get; init; } = TimeSpan.FromMinutes(DefaultIdleStageMinutes);

    /// <summary><c>RECONCILER_CALLS_PER_SECOND</c> (default 5, 1 to 5): the reconciler's rate per IVS operation (the IVS quota is 5 TPS).</summary>
    public int ReconcilerCallsPerSecond { get; init; } = 5;

    public const int DefaultIdleStageMinutes = 1440;

    /// <summary>The settings the <c>key-rotation</c> function needs on top of the common ones; an init error names what is missing.</summary>
    public void RequireKeyRotationSettings()
    {
        var missing = new List<string>();
        if (TokenSigningKeyParameter is null)
        {
            missing.Add("TOKEN_SIGNING_KEY_PARAMETER is required");
        }

        if (TokenSigningKmsKeyId is null)
        {
            missing.Add("TOKEN_SIGNING_KMS_KEY_ID is required");
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException("Invalid function configuration: " + string.Join("; ", missing) + ".");
        }
    }

    public static FunctionConfiguration From(Func<string, string?> environment)
    {
        var errors = new List<string>();
        string Required(string name)
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{name} is required");
            }

            return value ?? "";
        }

        Uri? OptionalUrl(string name)
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"{name} must be an absolute http(s) URL");
                return null;
            }

            return url;
        }

        TimeSpan? OptionalMinutes(string name)
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes < 1)
            {
                errors.Add($"{name} must be a whole number of minutes ≥ 1");
                return null;
            }

            return TimeSpan.FromMinutes(minutes);
        }

        var tokenPolicy = new TokenPolicyOptions();
        tokenPolicy.MaxDuration = OptionalMinutes("TOKEN_MAX_DURATION_MINUTES") ?? tokenPolicy.MaxDuration;
        tokenPolicy.DefaultDuration = OptionalMinutes("TOKEN_DEFAULT_DURATION_MINUTES") ?? TimeSpan.FromTicks(Math.Min(tokenPolicy.DefaultDuration.Ticks, tokenPolicy.MaxDuration.Ticks));

        if (!TokenMintingModes.TryParse(NullIfEmpty(environment("TOKEN_MODE")), out var tokenMode))
        {
            errors.Add($"TOKEN_MODE must be \"{TokenMintingModes.Api}\" or \"{TokenMintingModes.SelfSigned}\"");
        }

        var cacheTtl = SigningKeyCache.DefaultTtl;
        if (NullIfEmpty(environment("TOKEN_SIGNING_KEY_CACHE_SECONDS")) is { } cacheSeconds)
        {
            if (int.TryParse(cacheSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600)
            {
                cacheTtl = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                errors.Add("TOKEN_SIGNING_KEY_CACHE_SECONDS must be a whole number of seconds from 1 to 3600");
            }
        }

        int? OptionalInt(string name, int min, int max, string unit)
        {
            var value = NullIfEmpty(environment(name));
            if (value is null)
            {
                return null;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
            {
                errors.Add($"{name} must be a whole number of {unit} from {min} to {max}");
                return null;
            }

            return number;
        }

        // Less than 10 minutes would risk deleting a stage between its creation and its first join.
        var idleStageMinutes = OptionalInt("IDLE_STAGE_MINUTES", 10, 525_600, "minutes") ?? DefaultIdleStageMinutes;
        var reconcilerCallsPerSecond = OptionalInt("RECONCILER_CALLS_PER_SECOND", 1, 5, "calls per second") ?? 5;

        var configuration = new FunctionConfiguration(
            Required("AWS_REGION"),
            Required("TABLE_NAME"),
            Required("DEPLOYMENT_TAG"),
            OptionalUrl("IVS_ENDPOINT"),
            OptionalUrl("DYNAMODB_ENDPOINT"),
            tokenPolicy,
            NullIfEmpty(environment("COMPOSITION_STORAGE_CONFIGURATION_ARN")),
            NullIfEmpty(environment("COMPOSITION_ENCODER_CONFIGURATION_ARN")))
        {
            TokenMode = tokenMode,
            TokenSigningKeyParameter = NullIfEmpty(environment("TOKEN_SIGNING_KEY_PARAMETER")),
            TokenSigningKmsKeyId = NullIfEmpty(environment("TOKEN_SIGNING_KMS_KEY_ID")),
            TokenSigningKeyCacheTtl = cacheTtl,
            SsmEndpoint = OptionalUrl("SSM_ENDPOINT"),
            IdleStageAfter = TimeSpan.FromMinutes(idleStageMinutes),
            ReconcilerCallsPerSecond = reconcilerCallsPerSecond,
        };

        if (configuration.TokenMode == TokenMintingMode.SelfSigned && configuration.TokenSigningKeyParameter is null)
        {
            errors.Add("TOKEN_SIGNING_KEY_PARAMETER is required when TOKEN_MODE is self-signed");
        }

        try
        {
            tokenPolicy.Validate();
        }
        catch (InvalidOperationException e)
        {
            errors.Add(e.Message);
        }

        if ((configuration.CompositionStorageConfigurationArn is null) != (configuration.CompositionEncoderConfigurationArn is null))
        {
            errors.Add("COMPOSITION_STORAGE_CONFIGURATION_ARN and COMPOSITION_ENCODER_CONFIGURATION_ARN go together");
        }

        return errors.Count == 0
            ? configuration
            : throw new InvalidOperationException("Invalid function configuration: " + string.Join("; ", errors) + ".");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
