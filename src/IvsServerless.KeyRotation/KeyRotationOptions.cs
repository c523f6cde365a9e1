namespace IvsServerless.KeyRotation;

public sealed class KeyRotationOptions
{
    /// <summary>IVS allows this many public keys per account and region (all owners together).</summary>
    public const int PublicKeyQuota = 3;

    /// <summary>Tagged on every key this deployment imports (<c>ivs-serverless:managed-by</c>), as on its stages.</summary>
    public required string DeploymentTag { get; init; }

    /// <summary>The longest participant token the API mints (<c>TOKEN_MAX_DURATION_MINUTES</c>).</summary>
    public required TimeSpan MaxTokenLifetime { get; init; }

    /// <summary>How long an API container may keep signing with a replaced key (its key cache TTL).</summary>
    public required TimeSpan SigningKeyCacheTtl { get; init; }

    /// <summary>Slack for clocks and for the seconds between importing a key and storing it.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A key imported after the current one but never stored (a rotation that failed half-way) signed nothing; it is
    /// deleted once this old, which leaves a concurrent rotation time to store its key.
    /// </summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a replaced key must keep verifying: a container may sign with it for one cache TTL after the switch,
    /// and the last such token lives for the longest token lifetime.
    /// </summary>
    public TimeSpan Retention => MaxTokenLifetime + SigningKeyCacheTtl + Margin;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DeploymentTag))
        {
            throw new InvalidOperationException("The key rotation needs the deployment tag (DEPLOYMENT_TAG).");
        }

        if (MaxTokenLifetime <= TimeSpan.Zero || SigningKeyCacheTtl <= TimeSpan.Zero || Margin < TimeSpan.Zero
            || OrphanGrace < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Key rotation durations must be positive.");
        }
    }
}
