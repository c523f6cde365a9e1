using System.Globalization;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.Recording;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>
/// What happens to a stage when participants join, publish, subscribe and leave: sessions, participant
/// events (ListParticipantEvents), EventBridge events and recording. Shared by the simulation surface,
/// DisconnectParticipant, DeleteStage and participant replication. Call under the state lock.
/// </summary>
public static class ParticipantLifecycle
{
    /// <summary>IVS allows 12 publishers per stage (a fixed quota).</summary>
    public const int MaxPublishersPerStage = 12;

    public static readonly string[] EventErrorCodes =
    [
        "INSUFFICIENT_CAPABILITIES", "QUOTA_EXCEEDED", "PUBLISHER_NOT_FOUND", "BITRATE_EXCEEDED", "RESOLUTION_EXCEEDED",
        "STREAM_DURATION_EXCEEDED", "INVALID_AUDIO_CODEC", "INVALID_VIDEO_CODEC", "INVALID_PROTOCOL", "INVALID_STREAM_KEY",
        "REUSE_OF_STREAM_KEY", "B_FRAME_PRESENT", "INVALID_INPUT", "INTERNAL_SERVER_EXCEPTION",
    ];

    /// <summary>
    /// Connects <paramref name="participantId"/> to the stage's active session (starting one if there is none):
    /// a new participant, or the same participant reconnecting (first join time and events are kept).
    /// A participant id that is already connected is a 409.
    /// </summary>
    public static (StageSessionRecord Session, ParticipantRecord Participant) Join(OperationContext context, StageRecord stage,
        string participantId, Func<ParticipantRecord> create)
    {
        if (stage.ActiveSession?.Participants.GetValueOrDefault(participantId) is { State: ParticipantStates.Connected })
        {
            throw IvsException.Conflict($"Participant {participantId} is already connected to stage {stage.Arn}.");
        }

        var session = EnsureActiveSession(context, stage);
        var participant = create();
        if (session.Participants.TryGetValue(participantId, out var earlier))
        {
            // A reconnect within the same session: one participant, its history continues.
            participant = CarryOver(earlier, participant);
        }

        session.Participants[participantId] = participant;
        AddEvent(context, participant, "JOINED");
        return (session, participant);
    }

    /// <summary>Starts publishing, or fails as IVS does (PUBLISH_ERROR event, Participant Publish Error, and an error answer).</summary>
    public static void Publish(OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant)
    {
        if (!participant.AllowPublish)
        {
            PublishError(context, stage, session, participant, "INSUFFICIENT_CAPABILITIES");
            throw IvsException.AccessDenied($"Participant {participant.ParticipantId} has no PUBLISH capability.");
        }

        if (participant.IsPublishing)
        {
            throw IvsException.Conflict($"Participant {participant.ParticipantId} is already publishing.");
        }

        if (session.Publishers.Count() >= MaxPublishersPerStage)
        {
            PublishError(context, stage, session, participant, "QUOTA_EXCEEDED");
            throw IvsException.QuotaExceeded($"Stage {stage.Arn} already has {MaxPublishersPerStage} publishers.");
        }

        participant.IsPublishing = true;
        participant.Published = true;
        AddEvent(context, participant, "PUBLISH_STARTED");
        context.Emit(
            IvsEvent.StageUpdate, stage.Arn, StageEvents.StageUpdate(StageEvents.ParticipantPublished, session, participant, context.Now));
        StartRecording(context, stage, session, participant);
        ReplicationOperations.OnSourcePublishing(context, stage, session, participant);
        CompositionOperations.OnPublishersChanged(context, stage);
    }

    /// <summary>
    /// Stops publishing: PUBLISH_STOPPED and Participant Unpublished, the recording ends, subscriptions to this
    /// publisher end, and replications of it stop (after their reconnect window).
    /// Replicas get the participant events but no Participant Published/Unpublished EventBridge events: their
    /// coming and going is reported by the replication events.
    /// </summary>
    public static void Unpublish(OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant)
    {
        participant.IsPublishing = false;
        AddEvent(context, participant, "PUBLISH_STOPPED");
        if (!participant.IsReplica)
        {
            context.Emit(
                IvsEvent.StageUpdate, stage.Arn, StageEvents.StageUpdate(
                StageEvents.ParticipantUnpublished, session, participant, context.Now));
        }

        StopRecording(context, stage, session, participant);
        foreach (var subscriber in session.Connected.Where(p => p.Subscriptions.Contains(participant.ParticipantId)).ToList())
        {
            subscriber.Subscriptions.Remove(participant.ParticipantId);
            AddEvent(context, subscriber, "SUBSCRIBE_STOPPED", participant.ParticipantId, replica: participant.IsReplica ? true : null);
        }

        if (!participant.IsReplica)
        {
            ReplicationOperations.OnSourceStoppedPublishing(context, stage, participant);
        }

        CompositionOperations.OnPublishersChanged(context, stage);
    }

    /// <summary>A publish attempt that failed with <paramref name="errorCode"/> (EventErrorCode).</summary>
    public static void PublishError(
        OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant, string errorCode)
    {
        AddEvent(context, participant, "PUBLISH_ERROR", errorCode: errorCode);
        context.Emit(IvsEvent.StageUpdate, stage.Arn, StageEvents.PublishError(session, participant, errorCode, context.Now));
    }

    /// <summary>Subscribes to a publisher of the same session, or fails with SUBSCRIBE_ERROR and an error answer.</summary>
    public static void Subscribe(OperationContext context, StageSessionRecord session, ParticipantRecord subscriber, string publisherId)
    {
        if (publisherId == subscriber.ParticipantId)
        {
            throw IvsException.Validation("A participant cannot subscribe to itself.");
        }

        if (!subscriber.AllowSubscribe)
        {
            AddEvent(context, subscriber, "SUBSCRIBE_ERROR", publisherId, "INSUFFICIENT_CAPABILITIES");
            throw IvsException.AccessDenied($"Participant {subscriber.ParticipantId} has no SUBSCRIBE capability.");
        }

        if (session.Participants.GetValueOrDefault(publisherId) is not { State: ParticipantStates.Connected, IsPublishing: true } publisher)
        {
            AddEvent(context, subscriber, "SUBSCRIBE_ERROR", publisherId, "PUBLISHER_NOT_FOUND");
            throw IvsException.NotFound($"Participant {publisherId} is not publishing in session {session.SessionId}.");
        }

        if (!subscriber.Subscriptions.Add(publisherId))
        {
            throw IvsException.Conflict($"Participant {subscriber.ParticipantId} is already subscribed to {publisherId}.");
        }

        AddEvent(context, subscriber, "SUBSCRIBE_STARTED", publisherId, replica: publisher.IsReplica ? true : null);
    }

    public static void Unsubscribe(OperationContext context, StageSessionRecord session, ParticipantRecord subscriber, string publisherId)
    {
        if (!subscriber.Subscriptions.Remove(publisherId))
        {
            throw IvsException.NotFound($"Participant {subscriber.ParticipantId} is not subscribed to {publisherId}.");
        }

        var replica = session.Participants.GetValueOrDefault(publisherId)?.IsReplica == true ? true : (bool?)null;
        AddEvent(context, subscriber, "SUBSCRIBE_STOPPED", publisherId, replica: replica);
    }

    /// <summary>
    /// The participant leaves (or is disconnected): it stops publishing first, its subscriptions end, LEFT,
    /// and the session ends when nobody is left. An active replica leaving ends its replication.
    /// </summary>
    public static void Leave(OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant)
    {
        if (participant.IsReplica && ReplicationOperations.FindActiveForReplica(context, stage, participant) is { } replication)
        {
            ReplicationOperations.Stop(context, replication);
            return;
        }

        LeaveWithoutReplication(context, stage, session, participant);
    }

    /// <summary>The leave itself, for callers that already took care of replication.</summary>
    internal static void LeaveWithoutReplication(
        OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant)
    {
        if (participant.State != ParticipantStates.Connected)
        {
            return;
        }

        if (participant.IsPublishing)
        {
            Unpublish(context, stage, session, participant);
        }

        foreach (var publisherId in participant.Subscriptions.ToList())
        {
            participant.Subscriptions.Remove(publisherId);
            AddEvent(context, participant, "SUBSCRIBE_STOPPED", publisherId);
        }

        participant.State = ParticipantStates.Disconnected;
        AddEvent(context, participant, "LEFT");
        if (ReferenceEquals(stage.ActiveSession, session) && !session.Connected.Any())
        {
            session.EndTime = context.Now;
            stage.ActiveSession = null;
        }
    }

    /// <summary>The stage's live session, or a new one (<c>st-</c> id, start time now) when nobody is connected.</summary>
    public static StageSessionRecord EnsureActiveSession(OperationContext context, StageRecord stage)
    {
        if (stage.ActiveSession is { } active)
        {
            return active;
        }

        var session = new StageSessionRecord { SessionId = ResourceIds.NewSessionId(), StageArn = stage.Arn, StartTime = context.Now };
        stage.Sessions.Add(session);
        stage.ActiveSession = session;
        return session;
    }

    /// <summary>
    /// Individual participant recording, when the stage has it: the recording is STARTING while
    /// <c>events/recording-started.json</c> is written under its prefix, then ACTIVE with Recording Start. A storage
    /// configuration that no longer exists, or a bucket that cannot be written, gives FAILED and Recording Start Failure.
    /// </summary>
    public static void StartRecording(
        OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant)
    {
        var configuration = stage.Recording;
        if (!configuration.Enabled || (participant.IsReplica && !configuration.RecordParticipantReplicas))
        {
            return;
        }

        // <stage_id>/<session_id>/<participant_id>/<timestamp>, as IVS lays out individual recordings.
        participant.RecordingS3Prefix = string.Create(CultureInfo.InvariantCulture,
            $"{stage.Id}/{session.SessionId}/{participant.ParticipantId}/{context.Now.UtcDateTime:yyyy-MM-dd'T'HH-mm-ss'Z'}");
        if (!context.State.StorageConfigurations.TryGetValue(configuration.StorageConfigurationArn, out var storage))
        {
            participant.RecordingState = RecordingStates.Failed;
            WriteThenAnnounce(context, stage, session, participant, [], StageEvents.RecordingStartFailure, null, null);
            return;
        }

        participant.RecordingS3BucketName = storage.BucketName;
        participant.RecordingStartedAt = context.Now;
        participant.RecordingState = RecordingStates.Starting;
        WriteThenAnnounce(context, stage, session, participant, RecordingLayout.Started(Plan(stage, session, participant)),
            StageEvents.RecordingStart, RecordingStates.Active, StageEvents.RecordingStartFailure);
    }

    /// <summary>
    /// An active recording ends with the publish: STOPPING while its media, thumbnails and <c>events/recording-ended.json</c>
    /// are written, then STOPPED with Recording End; a write that fails gives FAILED and Recording End Failure.
    /// </summary>
    public static void StopRecording(OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant)
    {
        if (participant.RecordingState is not (RecordingStates.Starting or RecordingStates.Active))
        {
            return;
        }

        participant.RecordingState = RecordingStates.Stopping;
        var objects = participant.RecordingS3BucketName is null
            ? []
            : RecordingLayout.Ended(Plan(stage, session, participant), context.Now);
        WriteThenAnnounce(context, stage, session, participant, objects,
            StageEvents.RecordingEnd, RecordingStates.Stopped, StageEvents.RecordingEndFailure);
    }

    /// <summary>Simulated recording failure: FAILED plus Recording Start Failure / Recording End Failure.</summary>
    public static void FailRecording(
        OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant, bool atStart)
    {
        if (atStart)
        {
            if (!stage.Recording.Enabled)
            {
                throw IvsException.Conflict($"Stage {stage.Arn} has no individual participant recording configured.");
            }

            participant.RecordingS3BucketName ??= context.State.StorageConfigurations.GetValueOrDefault(
                stage.Recording.StorageConfigurationArn)?.BucketName;
            participant.RecordingS3Prefix ??= string.Create(CultureInfo.InvariantCulture,
                $"{stage.Id}/{session.SessionId}/{participant.ParticipantId}/{context.Now.UtcDateTime:yyyy-MM-dd'T'HH-mm-ss'Z'}");
        }
        else if (participant.RecordingState is not (RecordingStates.Starting or RecordingStates.Active))
        {
            throw IvsException.Conflict($"Participant {participant.ParticipantId} is not being recorded.");
        }

        participant.RecordingState = RecordingStates.Failed;
        // Best effort, as for IVS: the failure is reported whether or not the file could be written.
        RecordingObject[] objects = !atStart && participant.RecordingS3BucketName is not null
            ? [RecordingLayout.Failed(Plan(stage, session, participant), context.Now)]
            : [];
        var eventName = atStart ? StageEvents.RecordingStartFailure : StageEvents.RecordingEndFailure;
        WriteThenAnnounce(context, stage, session, participant, objects, eventName, null, eventName);
    }

    /// <summary>
    /// Writes <paramref name="objects"/> for the participant's current recording, then sets <paramref name="settled"/> and
    /// emits <paramref name="success"/> — or, when the bucket refused them, sets FAILED and emits <paramref name="failure"/>.
    /// With a recording queue this happens later, off the state lock; without one (nothing is written) at once.
    /// </summary>
    /// <remarks>
    /// The state is settled by the queue's task, under the state lock taken briefly once the write is done, rather than
    /// decided optimistically up front: a participant's recording state and the events emitted about it then never
    /// disagree (no ACTIVE recording whose start has failed, no Recording Start for a recording reported FAILED), and the
    /// lock is held for a lookup and an event, never across I/O. Until then the participant is STARTING or STOPPING, the
    /// states IVS itself reports while a recording starts or stops. The participant is looked up again by id in its session
    /// (a reconnect replaces its record) and only updated while it is still in the state this step left it in and still on
    /// this recording (same prefix); the event always names this recording's location.
    /// </remarks>
    private static void WriteThenAnnounce(OperationContext context, StageRecord stage, StageSessionRecord session,
        ParticipantRecord participant, IReadOnlyList<RecordingObject> objects, string success, string? settled, string? failure)
    {
        var stageArn = stage.Arn;
        var participantId = participant.ParticipantId;
        var bucket = participant.RecordingS3BucketName;
        var prefix = participant.RecordingS3Prefix;
        var pending = participant.RecordingState;

        void Complete(OperationContext done, RecordingWriteOutcome outcome)
        {
            if (outcome == RecordingWriteOutcome.Skipped)
            {
                return;
            }

            var written = outcome == RecordingWriteOutcome.Written;
            var current = session.Participants.GetValueOrDefault(participantId);
            if (current is not null && current.RecordingS3Prefix == prefix)
            {
                // A failure always fails the recording (its stop may already be queued: STOPPING); a success settles only the
                // state this step left (a simulated failure meanwhile stays FAILED).
                if (!written)
                {
                    current.RecordingState = RecordingStates.Failed;
                }
                else if (current.RecordingState == pending)
                {
                    current.RecordingState = settled ?? pending;
                }
            }

            var eventName = written ? success : failure ?? success;
            done.Emit(IvsEvent.ParticipantRecordingStateChange, stageArn,
                StageEvents.Recording(eventName, session.SessionId, participantId, bucket, prefix));
        }

        if (context.Recordings is { } queue)
        {
            queue.Enqueue(new RecordingJob($"{bucket}/{prefix}", bucket ?? "", objects, context.Now, context.Region, Complete));
        }
        else
        {
            Complete(context, RecordingWriteOutcome.Written);
        }
    }

    /// <summary>What the recording of <paramref name="participant"/> writes, from the stage's recording configuration.</summary>
    private static RecordingPlan Plan(StageRecord stage, StageSessionRecord session, ParticipantRecord participant)
    {
        var configuration = stage.Recording;
        return new RecordingPlan(
            participant.RecordingS3Prefix!,
            [new("stage_arn", stage.Arn), new("session_id", session.SessionId), new("participant_id", participant.ParticipantId)],
            participant.RecordingStartedAt ?? participant.FirstJoinTime,
            configuration.MediaTypes.Count > 0 ? configuration.MediaTypes[0] : "AUDIO_VIDEO",
            configuration.HlsConfiguration.TargetSegmentDurationSeconds,
            configuration.ThumbnailConfiguration.RecordingMode,
            configuration.ThumbnailConfiguration.TargetIntervalSeconds,
            configuration.ThumbnailConfiguration.Storage);
    }

    /// <summary>Appends a ListParticipantEvents entry. <c>replica</c> defaults to "this participant is a replica".</summary>
    public static void AddEvent(OperationContext context, ParticipantRecord participant, string name, string? remoteParticipantId = null,
        string? errorCode = null, bool? replica = null, string? destinationStageArn = null, string? destinationSessionId = null) =>
        participant.Events.Add(new ParticipantEventRecord(name, participant.ParticipantId, context.Now)
        {
            RemoteParticipantId = remoteParticipantId,
            ErrorCode = errorCode,
            Replica = replica ?? (participant.IsReplica && remoteParticipantId is null ? true : null),
            DestinationStageArn = destinationStageArn,
            DestinationSessionId = destinationSessionId,
        });

    /// <summary>A reconnecting participant keeps its first join time, whether it ever published, and its event history.</summary>
    private static ParticipantRecord CarryOver(ParticipantRecord earlier, ParticipantRecord reconnected)
    {
        var keepSource = earlier.ReplicationType == ReplicationTypes.Source && reconnected.ReplicationType == ReplicationTypes.None;
        var merged = new ParticipantRecord
        {
            ParticipantId = reconnected.ParticipantId,
            UserId = reconnected.UserId,
            Attributes = reconnected.Attributes,
            FirstJoinTime = earlier.FirstJoinTime,
            AllowPublish = reconnected.AllowPublish,
            AllowSubscribe = reconnected.AllowSubscribe,
            Published = earlier.Published || reconnected.Published,
            Protocol = reconnected.Protocol,
            // A source that reconnects (within its reconnect window) is still the source of its replications.
            ReplicationType = keepSource ? earlier.ReplicationType : reconnected.ReplicationType,
            ReplicationState = keepSource ? earlier.ReplicationState : reconnected.ReplicationState,
            SourceStageArn = reconnected.SourceStageArn,
            SourceSessionId = reconnected.SourceSessionId,
            IngestConfigurationArn = reconnected.IngestConfigurationArn,
            IspName = reconnected.IspName,
            OsName = reconnected.OsName,
            OsVersion = reconnected.OsVersion,
            BrowserName = reconnected.BrowserName,
            BrowserVersion = reconnected.BrowserVersion,
            SdkVersion = reconnected.SdkVersion,
            RecordingState = earlier.RecordingState,
            RecordingS3BucketName = earlier.RecordingS3BucketName,
            RecordingS3Prefix = earlier.RecordingS3Prefix,
            RecordingStartedAt = earlier.RecordingStartedAt,
        };
        merged.Events.AddRange(earlier.Events);
        return merged;
    }
}
