using IvsServerless.Core.Ivs;

namespace IvsServerless.Api;

/// <summary>The IVS ports the HTTP API's services use, one per service.</summary>
/// <param name="Stages">Stage create / rename / delete and the endpoint read (stage and token services).</param>
/// <param name="Tokens">CreateParticipantToken, for the default token minter.</param>
/// <param name="Participants">Disconnect (participant service).</param>
/// <param name="Compositions">Start / stop (composition service).</param>
/// <param name="Ingest">Ingest configurations (ingest service).</param>
/// <param name="Replication">Participant replication (replication service).</param>
public sealed record ApiIvsPorts(
    IStageProvisioning Stages, IParticipantTokenIssuer Tokens, IParticipantControl Participants, ICompositionControl Compositions,
    IIngestControl Ingest, IParticipantReplication Replication)
{
    /// <summary>All six from one adapter (the IVS adapter implements every port).</summary>
    public static ApiIvsPorts Of<T>(T ivs) where T : IStageProvisioning, IParticipantTokenIssuer, IParticipantControl,
        ICompositionControl, IIngestControl, IParticipantReplication =>
        new(ivs, ivs, ivs, ivs, ivs, ivs);
}
