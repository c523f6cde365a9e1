using IvsServerless.Core.Paging;

namespace IvsServerless.Core.Ivs;

/// <summary>One replication of a participant from its source stage into a destination stage (IVS <c>ParticipantReplica</c>).</summary>
public sealed record IvsParticipantReplica(
    string SourceStageArn, string ParticipantId, string? SourceSessionId, string DestinationStageArn, string? DestinationSessionId,
    string State);

/// <summary>Cross-stage guests (the API's replication service): a publisher of one stage shown on another.</summary>
public interface IParticipantReplication
{
    /// <summary><c>StartParticipantReplication</c>. <see cref="IvsResourceNotFoundException"/> when the participant is not connected to
    /// the source; <see cref="IvsConflictException"/> when it does not publish, is a replica or is already replicated there;
    /// <see cref="IvsQuotaExceededException"/> when the destination is full.</summary>
    Task StartReplicationAsync(
        string sourceStageArn, string destinationStageArn, string participantId, int reconnectWindowSeconds,
        CancellationToken cancellationToken);

    /// <summary><c>StopParticipantReplication</c>. <see cref="IvsResourceNotFoundException"/> when no such replication is active.</summary>
    Task StopReplicationAsync(string sourceStageArn, string destinationStageArn, string participantId, CancellationToken cancellationToken);

    /// <summary>A page of the participant's replicas (<c>ListParticipantReplicas</c>), active and stopped.</summary>
    Task<Page<IvsParticipantReplica>> ListReplicasAsync(
        string sourceStageArn, string participantId, string? nextToken, CancellationToken cancellationToken);
}
