using IvsServerless.Core.Tokens;
using IvsServerless.Core.TokenSigning;

namespace IvsServerless.Deployment.Settings;

/// <summary>
/// How participant tokens are minted and how long they live: the token functions (<c>tokens</c>, <c>api</c>) and the
/// key rotation, which keeps retired keys for the longest token lifetime. Unset values take the token policy's defaults.
/// </summary>
public sealed record TokenSettings
{
    /// <summary>The default of <c>TOKEN_MAX_DURATION_MINUTES</c>: the token policy's own cap.</summary>
    public static int DefaultMaxDurationMinutes { get; } = (int)new TokenPolicyOptions().MaxDuration.TotalMinutes;

    /// <summary>The longest token IVS accepts, in minutes.</summary>
    public static int IvsMaximumDurationMinutes { get; } = (int)TokenPolicyOptions.IvsMaximumDuration.TotalMinutes;

    /// <summary><c>TOKEN_MODE</c>: <c>api</c> (default, not written) or <c>self-signed</c>.</summary>
    public TokenMintingMode Mode { get; init; }

    /// <summary><c>TOKEN_MAX_DURATION_MINUTES</c>: the longest token a caller may ask for.</summary>
    public int? MaxDurationMinutes { get; init; }

    /// <summary><c>TOKEN_DEFAULT_DURATION_MINUTES</c>: a token's lifetime when the caller names none.</summary>
    public int? DefaultDurationMinutes { get; init; }

    /// <summary><c>TOKEN_SIGNING_KEY_PARAMETER</c>: the SSM SecureString holding the current signing key (self-signed mode, key
    /// rotation).</summary>
    public string? SigningKeyParameter { get; init; }

    /// <summary><c>TOKEN_SIGNING_KMS_KEY_ID</c>: the KMS key that encrypts that SecureString (key rotation writes with it).</summary>
    public string? SigningKmsKeyId { get; init; }

    /// <summary><c>TOKEN_SIGNING_KEY_CACHE_SECONDS</c> (1 to 3600): how long a container signs before re-reading the key.</summary>
    public int? SigningKeyCacheSeconds { get; init; }

    public TimeSpan SigningKeyCacheTtl =>
        SigningKeyCacheSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : SigningKeyCache.DefaultTtl;

    /// <summary>The token policy's limits; a default duration above the cap is lowered to it.</summary>
    public TokenPolicyOptions Policy()
    {
        var policy = new TokenPolicyOptions();
        policy.MaxDuration = MaxDurationMinutes is { } max ? TimeSpan.FromMinutes(max) : policy.MaxDuration;
        policy.DefaultDuration = DefaultDurationMinutes is { } duration
            ? TimeSpan.FromMinutes(duration)
            : TimeSpan.FromTicks(Math.Min(policy.DefaultDuration.Ticks, policy.MaxDuration.Ticks));
        return policy;
    }

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        ("TOKEN_MODE", Mode == TokenMintingMode.SelfSigned ? TokenMintingModes.SelfSigned : null),
        ("TOKEN_MAX_DURATION_MINUTES", MaxDurationMinutes),
        ("TOKEN_DEFAULT_DURATION_MINUTES", DefaultDurationMinutes),
        ("TOKEN_SIGNING_KEY_PARAMETER", SigningKeyParameter),
        ("TOKEN_SIGNING_KMS_KEY_ID", SigningKmsKeyId),
        ("TOKEN_SIGNING_KEY_CACHE_SECONDS", SigningKeyCacheSeconds));

    public static TokenSettings Read(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!TokenMintingModes.TryParse(environment.Text("TOKEN_MODE"), out var mode))
        {
            environment.Fail($"TOKEN_MODE must be \"{TokenMintingModes.Api}\" or \"{TokenMintingModes.SelfSigned}\"");
        }

        var settings = new TokenSettings
        {
            Mode = mode,
            MaxDurationMinutes = environment.Minutes("TOKEN_MAX_DURATION_MINUTES"),
            DefaultDurationMinutes = environment.Minutes("TOKEN_DEFAULT_DURATION_MINUTES"),
            SigningKeyParameter = environment.Text("TOKEN_SIGNING_KEY_PARAMETER"),
            SigningKmsKeyId = environment.Text("TOKEN_SIGNING_KMS_KEY_ID"),
            SigningKeyCacheSeconds = environment.Number("TOKEN_SIGNING_KEY_CACHE_SECONDS", 1, 3600, "seconds"),
        };

        if (settings.Mode == TokenMintingMode.SelfSigned && settings.SigningKeyParameter is null)
        {
            environment.Fail("TOKEN_SIGNING_KEY_PARAMETER is required when TOKEN_MODE is self-signed");
        }

        try
        {
            settings.Policy().Validate();
        }
        catch (InvalidOperationException e)
        {
            environment.Fail(e.Message);
        }

        return settings;
    }

    /// <summary>The settings the <c>key-rotation</c> function needs on top of the common ones; an init error names what is
    /// missing.</summary>
    public void RequireKeyRotationSettings()
    {
        var missing = new EnvironmentReader(_ => null);
        if (SigningKeyParameter is null)
        {
            missing.Fail("TOKEN_SIGNING_KEY_PARAMETER is required");
        }

        if (SigningKmsKeyId is null)
        {
            missing.Fail("TOKEN_SIGNING_KMS_KEY_ID is required");
        }

        missing.ThrowIfInvalid();
    }
}
