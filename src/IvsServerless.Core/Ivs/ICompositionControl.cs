namespace IvsServerless.Core.Ivs;

/// <summary>Server-side compositions of a stage (the API's composition service).</summary>
public interface ICompositionControl
{
    /// <summary>Starts a composition; IVS deduplicates starts with the same idempotency token.</summary>
    Task<StartedComposition> StartAsync(CompositionStart start, CancellationToken cancellationToken);

    /// <summary><see cref="IvsResourceNotFoundException"/> when IVS no longer knows the composition.</summary>
    Task StopAsync(string compositionArn, CancellationToken cancellationToken);
}

/// <summary>What to compose and where to send it.</summary>
public sealed record CompositionStart(
    string StageArn,
    string IdempotencyToken,
    CompositionDestinations Destinations,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// The deployment's destinations: recorded to the storage configuration and/or broadcast to the channel (in that
/// order), both with the one encoder configuration.
/// </summary>
public sealed record CompositionDestinations(string EncoderConfigurationArn, string? StorageConfigurationArn, string? ChannelArn);

/// <summary>
/// A started composition: its ARN and state as IVS names it (STARTING, ACTIVE, STOPPING, STOPPED or FAILED), and its S3
/// destination if it has one (null: only a channel).
/// </summary>
public sealed record StartedComposition(string Arn, string State, StartedRecording? Recording = null);

/// <summary>The S3 destination of a started composition: its id and the key prefix IVS records under.</summary>
public sealed record StartedRecording(string DestinationId, string S3KeyPrefix);
