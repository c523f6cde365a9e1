using IvsServerless.Core.Tokens;

namespace IvsServerless.Api;

public sealed class ApiOptions
{
    /// <summary>Tagged on every IVS stage as <c>ivs-serverless:managed-by</c>, so sweeps find only their own stages.</summary>
    public required string DeploymentTag { get; init; }

    /// <summary>Where compositions record (an IVS storage configuration); null turns compositions off.</summary>
    public string? CompositionStorageConfigurationArn { get; init; }

    /// <summary>The encoder configuration compositions use; required with the storage configuration.</summary>
    public string? CompositionEncoderConfigurationArn { get; init; }

    public TokenPolicyOptions TokenPolicy { get; init; } = new();

    /// <summary>Re-reads after an optimistic-concurrency conflict before answering 409.</summary>
    public int ConflictRetries { get; init; } = 3;

    /// <summary>Time kept back from the Lambda deadline to answer before Lambda kills the invocation.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(500);
}
