using IvsServerless.Core.Quotas;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api;

public sealed class ApiOptions
{
    /// <summary>Tagged on every IVS stage as <c>ivs-serverless:managed-by</c>, so sweeps find only their own stages.</summary>
    public required string DeploymentTag { get; init; }

    /// <summary>Where compositions record (an IVS storage configuration); null: no recording.</summary>
    public string? CompositionStorageConfigurationArn { get; init; }

    /// <summary>An IVS (low-latency) channel compositions broadcast to; null: no broadcast.</summary>
    public string? CompositionChannelArn { get; init; }

    /// <summary>The encoder configuration compositions use; required with either destination.</summary>
    public string? CompositionEncoderConfigurationArn { get; init; }

    /// <summary>Compositions need an encoder configuration and at least one destination; otherwise they are off (503).</summary>
    public bool CompositionsConfigured =>
        CompositionEncoderConfigurationArn is not null
            && (CompositionStorageConfigurationArn is not null || CompositionChannelArn is not null);

    /// <summary>The IVS storage configuration individual participant recording writes to; null: stages cannot record (503).</summary>
    public string? RecordingStorageConfigurationArn { get; init; }

    /// <summary>The bucket of that storage configuration: playback URLs are presigned in it and recordings deleted from it.</summary>
    public string? RecordingsBucketName { get; init; }

    /// <summary>
    /// The bucket a storage configuration writes to, as far as this deployment knows: the recordings bucket for its own
    /// storage configuration, null (unknown) for any other.
    /// </summary>
    public string? BucketOf(string storageConfigurationArn) =>
        storageConfigurationArn == RecordingStorageConfigurationArn ? RecordingsBucketName : null;

    /// <summary>How long playback and thumbnail URLs work.</summary>
    public TimeSpan RecordingPlaybackLifetime { get; init; } = TimeSpan.FromHours(1);

    public TokenPolicyOptions TokenPolicy { get; init; } = new();

    /// <summary>Per-user limits (stages owned, concurrent compositions, token mints per minute).</summary>
    public QuotaOptions Quotas { get; init; } = new();

    /// <summary>Re-reads after an optimistic-concurrency conflict before answering 409.</summary>
    public int ConflictRetries { get; init; } = 3;

    /// <summary>Time kept back from the Lambda deadline to answer before Lambda kills the invocation.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(500);
}
