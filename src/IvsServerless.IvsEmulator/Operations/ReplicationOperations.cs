using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>
/// StartParticipantReplication, StopParticipantReplication, ListParticipantReplicas.
/// A replication copies a publishing participant of a source stage into a destination stage: the replica
/// joins the destination (same participant id, replicationType REPLICA) and publishes there; the original
/// becomes replicationType SOURCE. Both get REPLICATION_STARTED / REPLICATION_STOPPED participant events and
/// each stage gets the Stage Update replication event. Replication ends on StopParticipantReplication, when the
/// replica is disconnected, or when the source stops publishing and its reconnect window expires.
/// The outputs of Start/Stop are only the service headers EmulatorServer sends on every response; the body is {}.
/// </summary>
public static class ReplicationOperations
{
    /// <summary>StartParticipantReplication.reconnectWindowSeconds: 0 to 300 in the botocore model (ReconnectWindowSeconds), the
    /// authority for bounds here (an older API Reference page said 60); default 0.</summary>
    public const int MaxReconnectWindowSeconds = 300;

    public static void Register(OperationTable table)
    {
        table.Add("StartParticipantReplication", StartParticipantReplication);
        table.Add("StopParticipantReplication", StopParticipantReplication);
        table.Add("ListParticipantReplicas", ListParticipantReplicas);
    }

    private static object StartParticipantReplication(OperationContext context, RequestReader input)
    {
        var (sourceArn, destinationArn, participantId) = ReadReplicationKey(input);
        var reconnectWindow = input.Int("reconnectWindowSeconds", 0, MaxReconnectWindowSeconds) ?? 0;
        var attributes = input.Attributes();
        input.ThrowIfInvalid();

        var source = StageOperations.Find(context, sourceArn);
        var destination = StageOperations.Find(context, destinationArn);
        var sourceSession = source.ActiveSession;
        if (sourceSession?.Participants.GetValueOrDefault(participantId) is not { State: ParticipantStates.Connected } original)
        {
            throw IvsException.NotFound($"Participant {participantId} is not connected to stage {sourceArn}.");
        }

        if (original.IsReplica)
        {
            throw IvsException.Conflict($"Participant {participantId} is itself a replica and cannot be replicated.");
        }

        if (!original.IsPublishing)
        {
            throw IvsException.Conflict($"Participant {participantId} is not publishing to stage {sourceArn}.");
        }

        if (context.State.Replicas.Any(
            r => r.IsActive && r.SourceStageArn == sourceArn && r.DestinationStageArn == destinationArn
            && r.ParticipantId == participantId))
        {
            throw IvsException.Conflict($"Participant {participantId} is already replicated to stage {destinationArn}.");
        }

        if (destination.ActiveSession?.Publishers.Count() >= ParticipantLifecycle.MaxPublishersPerStage)
        {
            throw IvsException.QuotaExceeded(
                $"Stage {destinationArn} already has {ParticipantLifecycle.MaxPublishersPerStage} publishers.");
        }

        // Token attributes, overridden key by key by the request's (API Reference: "merged ... values in these attributes are replaced").
        var mergedAttributes = new Dictionary<string, string>(original.Attributes, StringComparer.Ordinal);
        foreach (var (key, value) in attributes ?? [])
        {
            mergedAttributes[key] = value;
        }

        var (destinationSession, replica) = ParticipantLifecycle.Join(context, destination, participantId, () => new ParticipantRecord
        {
            ParticipantId = participantId,
            UserId = original.UserId,
            Attributes = mergedAttributes,
            FirstJoinTime = context.Now,
            AllowPublish = true,
            AllowSubscribe = false,
            Protocol = original.Protocol,
            ReplicationType = ReplicationTypes.Replica,
            ReplicationState = ReplicationStates.Active,
            SourceStageArn = sourceArn,
            SourceSessionId = sourceSession.SessionId,
        });

        var replication = new ParticipantReplicaRecord
        {
            SourceStageArn = sourceArn,
            ParticipantId = participantId,
            SourceSessionId = sourceSession.SessionId,
            DestinationStageArn = destinationArn,
            DestinationSessionId = destinationSession.SessionId,
            ReconnectWindowSeconds = reconnectWindow,
        };
        context.State.Replicas.Add(replication);

        replica.IsPublishing = true;
        replica.Published = true;
        ParticipantLifecycle.AddEvent(context, replica, "PUBLISH_STARTED");
        ParticipantLifecycle.AddEvent(context, replica, "REPLICATION_STARTED", destinationStageArn: destinationArn,
            destinationSessionId: destinationSession.SessionId);
        ParticipantLifecycle.StartRecording(context, destination, destinationSession, replica);

        original.ReplicationType = ReplicationTypes.Source;
        original.ReplicationState = ReplicationStates.Active;
        ParticipantLifecycle.AddEvent(context, original, "REPLICATION_STARTED", destinationStageArn: destinationArn,
            destinationSessionId: destinationSession.SessionId);

        context.Emit(IvsEvent.StageUpdate, sourceArn,
            StageEvents.Replication(StageEvents.ParticipantReplicationStarted, sourceSession, original, replication, context.Now));
        context.Emit(IvsEvent.StageUpdate, destinationArn,
            StageEvents.Replication(StageEvents.ParticipantReplicationStarted, destinationSession, replica, replication, context.Now));
        CompositionOperations.OnPublishersChanged(context, destination);
        return EmptyResponse.Instance;
    }

    private static object StopParticipantReplication(OperationContext context, RequestReader input)
    {
        var (sourceArn, destinationArn, participantId) = ReadReplicationKey(input);
        input.ThrowIfInvalid();

        StageOperations.Find(context, sourceArn);
        StageOperations.Find(context, destinationArn);
        var replication = context.State.Replicas.FirstOrDefault(r =>
                r.IsActive && r.SourceStageArn == sourceArn && r.DestinationStageArn == destinationArn && r.ParticipantId == participantId)
            ?? throw IvsException.NotFound($"No active replication of participant {participantId} from {sourceArn} to {destinationArn}.");

        Stop(context, replication);
        return EmptyResponse.Instance;
    }

    private static object ListParticipantReplicas(OperationContext context, RequestReader input)
    {
        var sourceArn = StageOperations.ReadStageArn(input, "sourceStageArn");
        var participantId = ReadParticipantId(input, "participantId");
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 50, 50);
        input.ThrowIfInvalid();

        // No ResourceNotFoundException is modeled: an unknown stage or participant is an empty list.
        var replicas = context.State.Replicas
            .Select((replica, index) => (replica, key: SessionOperations.OrderKey(index)))
            .Where(x => x.replica.SourceStageArn == sourceArn && x.replica.ParticipantId == participantId);
        var page = context.Pages.Paginate("ListParticipantReplicas", replicas, x => x.key, nextToken, maxResults);
        return new
        {
            replicas = page.Items.Select(x => new
            {
                sourceStageArn = x.replica.SourceStageArn,
                participantId = x.replica.ParticipantId,
                sourceSessionId = x.replica.SourceSessionId,
                destinationStageArn = x.replica.DestinationStageArn,
                destinationSessionId = x.replica.DestinationSessionId,
                replicationState = x.replica.ReplicationState,
            }),
            nextToken = page.NextToken,
        };
    }

    /// <summary>
    /// Ends a replication: REPLICATION_STOPPED for the source and the replica, the replication-ended Stage Update
    /// event on both stages, and the replica leaves the destination (PUBLISH_STOPPED, LEFT; the session ends if
    /// it was the last one there).
    /// </summary>
    public static void Stop(OperationContext context, ParticipantReplicaRecord replication)
    {
        replication.ReplicationState = ReplicationStates.Stopped;
        replication.StopPending = false;
        replication.StopGeneration++;

        if (Locate(context, replication.SourceStageArn, replication.SourceSessionId, replication.ParticipantId) is (
            var source, var sourceSession, var original))
        {
            ParticipantLifecycle.AddEvent(context, original, "REPLICATION_STOPPED", destinationStageArn: replication.DestinationStageArn,
                destinationSessionId: replication.DestinationSessionId);
            if (!context.State.Replicas.Any(r => r.IsActive && r.SourceStageArn == source.Arn && r.ParticipantId == original.ParticipantId))
            {
                original.ReplicationState = ReplicationStates.Stopped;
            }

            context.Emit(IvsEvent.StageUpdate, source.Arn,
                StageEvents.Replication(StageEvents.ParticipantReplicationEnded, sourceSession, original, replication, context.Now));
        }

        if (Locate(context, replication.DestinationStageArn, replication.DestinationSessionId, replication.ParticipantId) is (
            var destination, var destinationSession, var replica)
            && replica.IsReplica)
        {
            replica.ReplicationState = ReplicationStates.Stopped;
            ParticipantLifecycle.AddEvent(context, replica, "REPLICATION_STOPPED", destinationStageArn: replication.DestinationStageArn,
                destinationSessionId: replication.DestinationSessionId);
            context.Emit(IvsEvent.StageUpdate, destination.Arn,
                StageEvents.Replication(StageEvents.ParticipantReplicationEnded, destinationSession, replica, replication, context.Now));
            ParticipantLifecycle.LeaveWithoutReplication(context, destination, destinationSession, replica);
        }
    }

    /// <summary>DeleteStage: replications from or into the stage end now (no reconnect window: the stage is gone).</summary>
    public static void StopAllInvolving(OperationContext context, string stageArn)
    {
        foreach (var replication in context.State.Replicas.Where(
            r => r.IsActive && (r.SourceStageArn == stageArn || r.DestinationStageArn == stageArn)).ToList())
        {
            Stop(context, replication);
        }
    }

    /// <summary>The source stopped publishing (unpublished or left): each replication of it ends now, or when its
    /// reconnect window expires unless the source publishes again first.</summary>
    public static void OnSourceStoppedPublishing(OperationContext context, StageRecord stage, ParticipantRecord source)
    {
        foreach (var replication in ActiveReplicationsOf(context, stage.Arn, source.ParticipantId))
        {
            if (replication.ReconnectWindowSeconds == 0)
            {
                Stop(context, replication);
                continue;
            }

            replication.StopPending = true;
            var generation = ++replication.StopGeneration;
            context.State.Schedule(context.Now.AddSeconds(replication.ReconnectWindowSeconds),
                $"replication of {source.ParticipantId} to {replication.DestinationStageArn}: reconnect window expired",
                later =>
                {
                    if (replication.IsActive && replication.StopPending && replication.StopGeneration == generation)
                    {
                        Stop(later, replication);
                    }
                });
        }
    }

    /// <summary>The source publishes again within its reconnect window: its replications carry on.</summary>
    public static void OnSourcePublishing(OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord source)
    {
        foreach (var replication in ActiveReplicationsOf(context, stage.Arn, source.ParticipantId).Where(r => r.StopPending))
        {
            replication.StopPending = false;
            replication.StopGeneration++;
            replication.SourceSessionId = session.SessionId;
            if (Locate(context, replication.DestinationStageArn, replication.DestinationSessionId, replication.ParticipantId) is (
                _, _, var replica))
            {
                replica.SourceSessionId = session.SessionId;
            }
        }
    }

    /// <summary>The active replication whose replica is <paramref name="replica"/> (a participant of <paramref name="stage"/>).</summary>
    public static ParticipantReplicaRecord? FindActiveForReplica(OperationContext context, StageRecord stage, ParticipantRecord replica) =>
        context.State.Replicas.FirstOrDefault(
            r => r.IsActive && r.DestinationStageArn == stage.Arn && r.ParticipantId == replica.ParticipantId);

    private static List<ParticipantReplicaRecord> ActiveReplicationsOf(
        OperationContext context, string sourceStageArn, string participantId) =>
        context.State.Replicas.Where(r => r.IsActive && r.SourceStageArn == sourceStageArn && r.ParticipantId == participantId).ToList();

    private static (StageRecord Stage, StageSessionRecord Session, ParticipantRecord Participant)? Locate(OperationContext context,
        string stageArn, string sessionId, string participantId)
    {
        if (!context.State.Stages.TryGetValue(stageArn, out var stage))
        {
            return null;
        }

        var session = stage.Sessions.FirstOrDefault(s => s.SessionId == sessionId);
        return session?.Participants.GetValueOrDefault(participantId) is { } participant ? (stage, session, participant) : null;
    }

    private static (string Source, string Destination, string ParticipantId) ReadReplicationKey(RequestReader input)
    {
        var source = StageOperations.ReadStageArn(input, "sourceStageArn");
        var destination = StageOperations.ReadStageArn(input, "destinationStageArn");
        var participantId = ReadParticipantId(input, "participantId");
        if (source is not null && source == destination)
        {
            input.Fail("destinationStageArn", destination, "Member must differ from sourceStageArn");
        }

        return (source ?? "", destination ?? "", participantId ?? "");
    }

    /// <summary>Participant ids of replicas, events and participants: 0..64 of [a-zA-Z0-9-].</summary>
    public static string? ReadParticipantId(RequestReader input, string name) =>
        input.String(name, required: true, max: 64, pattern: Patterns.ParticipantId(), patternText: "[a-zA-Z0-9-]*");
}
