using IvsServerless.Core.Paging;

namespace IvsServerless.Core.Ivs;

/// <summary>RTMP or RTMPS (IVS <c>IngestProtocol</c>; IVS offers no WHIP ingest configuration: WHIP publishes with a participant
/// token).</summary>
public enum IngestProtocol
{
    Rtmp,
    Rtmps,
}

/// <summary>What an ingest configuration is created with: bound to one stage, for one user, with the token policy's
/// attributes.</summary>
public sealed record IngestCreate(
    string StageArn, string Name, IngestProtocol Protocol, string UserId, IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>An ingest configuration as IVS lists it; never the stream key.</summary>
public sealed record IvsIngestConfiguration(
    string Arn, string Name, IngestProtocol Protocol, string StageArn, string ParticipantId, string State, string? UserId);

/// <summary>A new ingest configuration with its secrets: the stream key and where the encoder sends it. Returned once, never
/// logged.</summary>
public sealed record CreatedIngestConfiguration(IvsIngestConfiguration Configuration, string StreamKey, string IngestEndpoint);

/// <summary>Ingest configurations of a stage (the API's ingest service): create, list, find, delete.</summary>
public interface IIngestControl
{
    /// <summary>Creates it (<c>CreateIngestConfiguration</c>) and reads the stage's RTMP(S) endpoint (<c>GetStage</c>).
    /// <see cref="IvsQuotaExceededException"/> when the account's ingest configurations are used up.</summary>
    Task<CreatedIngestConfiguration> CreateIngestConfigurationAsync(IngestCreate create, CancellationToken cancellationToken);

    /// <summary>A page of the stage's ingest configurations (<c>ListIngestConfigurations</c> by stage ARN).</summary>
    Task<Page<IvsIngestConfiguration>> ListIngestConfigurationsAsync(
        string stageArn, string? nextToken, CancellationToken cancellationToken);

    /// <summary>One ingest configuration (<c>GetIngestConfiguration</c>), without its key; null when IVS does not know it.</summary>
    Task<IvsIngestConfiguration?> FindIngestConfigurationAsync(string arn, CancellationToken cancellationToken);

    /// <summary>Deletes it even while an encoder publishes with it (force: the encoder is disconnected); false when it was gone.</summary>
    Task<bool> DeleteIngestConfigurationAsync(string arn, CancellationToken cancellationToken);
}
