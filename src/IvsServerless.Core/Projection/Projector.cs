using IvsServerless.Core.Events;

namespace IvsServerless.Core.Projection;

/// <summary>
/// The projection rules as pure functions. IVS events arrive late, duplicated, out of order or not at all, so every
/// rule is commutative and idempotent: a field group takes its value from the newest event (by <see cref="EventStamp"/>)
/// that sets it, and first/last times are min/max. Applying any permutation of a set of events, with any duplicates,
/// gives the same state. The per-item functions are what the DynamoDB adapter mirrors with conditional writes.
/// </summary>
public static class Projector
{
    public static ProjectionState Apply(ProjectionState state, ParsedIvsEvent e)
    {
        switch (e.Detail)
        {
            case StageUpdateDetail or ParticipantRecordingDetail:
                var participantKey = ParticipantKeyOf(e);
                var sessionKey = new SessionKey(participantKey.StageId, participantKey.SessionId);
                return state with
                {
                    Participants = state.Participants.SetItem(
                        participantKey, ApplyToParticipant(state.Participants.GetValueOrDefault(participantKey), e)),
                    Sessions = state.Sessions.SetItem(sessionKey, ApplyToSession(state.Sessions.GetValueOrDefault(sessionKey), e)),
                };

            case CompositionStateDetail detail:
                var next = state with
                {
                    Compositions = state.Compositions.SetItem(
                        e.ResourceArn, ApplyToComposition(state.Compositions.GetValueOrDefault(e.ResourceArn), e)),
                };
                if (detail.DestinationId is { Length: > 0 } destinationId && IsDestinationEvent(e.EventName))
                {
                    var key = new DestinationKey(e.ResourceArn, destinationId);
                    next = next with
                    {
                        Destinations = next.Destinations.SetItem(key, ApplyToDestination(next.Destinations.GetValueOrDefault(key), e))
                    };
                }

                return next;

            default:
                return state;
        }
    }

    public static ProjectionState ApplyAll(ProjectionState state, IEnumerable<ParsedIvsEvent> events) => events.Aggregate(state, Apply);

    /// <summary>The participant item a stage or recording event belongs to.</summary>
    public static ParticipantKey ParticipantKeyOf(ParsedIvsEvent e)
    {
        var stageId = IvsEventParser.ResourceId(e.ResourceArn);
        return e.Detail switch
        {
            StageUpdateDetail d => new ParticipantKey(stageId, d.SessionId!, d.ParticipantId!),
            ParticipantRecordingDetail d => new ParticipantKey(stageId, d.SessionId!, d.ParticipantId!),
            _ => throw new ArgumentException("Composition events have no participant.", nameof(e)),
        };
    }

    public static ParticipantProjection ApplyToParticipant(ParticipantProjection? current, ParsedIvsEvent e)
    {
        var stamp = EventStamp.Of(e);
        var time = stamp.Time;
        var p = current is null
            ? new ParticipantProjection(ParticipantKeyOf(e), time, time)
            : current with { FirstSeen = Min(current.FirstSeen, time), LastSeen = Max(current.LastSeen, time) };

        if (e.Detail is StageUpdateDetail stage)
        {
            // Every stage update names the user (IVS sends "" for none); an unknown event name still does.
            if (stage.UserId is not null)
            {
                p = p with { UserId = Stamped.Newest(p.UserId, stage.UserId.At(stamp)) };
            }

            p = e.EventName switch
            {
                IvsEventName.ParticipantPublished => p with { Publishing = Stamped.Newest(p.Publishing, true.At(stamp)) },
                IvsEventName.ParticipantUnpublished => p with { Publishing = Stamped.Newest(p.Publishing, false.At(stamp)) },
                // A publish error does not say whether an existing publication goes on: it is its own group.
                IvsEventName.ParticipantPublishError =>
                    p with { LastPublishError = Stamped.Newest(p.LastPublishError, (stage.ErrorCode ?? "").At(stamp)) },
                IvsEventName.ParticipantReplicationStarted or IvsEventName.ParticipantReplicationEnded => p with
                {
                    Replication = Stamped.Newest(p.Replication, new ReplicationStatus(
                        e.EventName == IvsEventName.ParticipantReplicationStarted, stage.Replica == true, stage.SourceStageArn,
                            stage.DestinationStageArn).At(stamp)),
                },
                _ => p,
            };
        }
        else if (e.Detail is ParticipantRecordingDetail recording && RecordingStateOf(e.EventName) is { } state)
        {
            p = p with { Recording = Stamped.Newest(p.Recording, state.At(stamp)) };
            if (state is RecordingState.StartFailed or RecordingState.EndFailed)
            {
                p = p with { LastRecordingFailure = Stamped.Newest(p.LastRecordingFailure, state.At(stamp)) };
            }

            // Failure events may come without a location; they must not erase the one a Start reported.
            if (!string.IsNullOrEmpty(recording.RecordingS3KeyPrefix))
            {
                var location = new RecordingLocation(recording.RecordingS3BucketName ?? "", recording.RecordingS3KeyPrefix);
                p = p with { RecordingLocation = Stamped.Newest(p.RecordingLocation, location.At(stamp)) };
            }
        }

        return p;
    }

    public static SessionProjection ApplyToSession(SessionProjection? current, ParsedIvsEvent e)
    {
        var time = e.EventTime.ToUniversalTime();
        var key = ParticipantKeyOf(e);
        return current is null
            ? new SessionProjection(new SessionKey(key.StageId, key.SessionId), time, time)
            : current with { FirstActivity = Min(current.FirstActivity, time), LastActivity = Max(current.LastActivity, time) };
    }

    public static CompositionProjection ApplyToComposition(CompositionProjection? current, ParsedIvsEvent e)
    {
        var stamp = EventStamp.Of(e);
        var detail = (CompositionStateDetail)e.Detail;
        var c = current ?? new CompositionProjection(e.ResourceArn);
        c = c with { StageArn = Stamped.Newest(c.StageArn, detail.StageArn!.At(stamp)) };
        var status = e.EventName switch
        {
            IvsEventName.SessionStart => new CompositionStatus(CompositionState.Active, null),
            IvsEventName.SessionEnd => new CompositionStatus(CompositionState.Stopped, null),
            IvsEventName.SessionFailure => new CompositionStatus(CompositionState.Failed, detail.Reason),
            _ => null,
        };
        return status is null ? c : c with { Status = Stamped.Newest(c.Status, status.At(stamp)) };
    }

    public static DestinationProjection ApplyToDestination(DestinationProjection? current, ParsedIvsEvent e)
    {
        var detail = (CompositionStateDetail)e.Detail;
        var d = current ?? new DestinationProjection(new DestinationKey(e.ResourceArn, detail.DestinationId!));
        var status = e.EventName switch
        {
            IvsEventName.DestinationStart => new CompositionStatus(CompositionState.Active, null),
            IvsEventName.DestinationReconnecting => new CompositionStatus(CompositionState.Reconnecting, detail.Reason),
            IvsEventName.DestinationEnd => new CompositionStatus(CompositionState.Stopped, null),
            IvsEventName.DestinationFailure => new CompositionStatus(CompositionState.Failed, detail.Reason),
            _ => null,
        };
        if (status is null)
        {
            return d;
        }

        var stamp = EventStamp.Of(e);
        return d with
        {
            Status = Stamped.Newest(d.Status, status.At(stamp)),
            StartedAt = e.EventName == IvsEventName.DestinationStart ? MinOf(d.StartedAt, stamp.Time) : d.StartedAt,
            EndedAt = e.EventName is IvsEventName.DestinationEnd or IvsEventName.DestinationFailure
                ? MaxOf(d.EndedAt, stamp.Time)
                : d.EndedAt,
        };
    }

    /// <summary>The earlier of two optional times (null is "none yet").</summary>
    public static DateTimeOffset? MinOf(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : Min(a.Value, b.Value);

    /// <summary>The later of two optional times (null is "none yet").</summary>
    public static DateTimeOffset? MaxOf(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : Max(a.Value, b.Value);

    private static bool IsDestinationEvent(IvsEventName name) => name is IvsEventName.DestinationStart
        or IvsEventName.DestinationReconnecting or IvsEventName.DestinationEnd or IvsEventName.DestinationFailure;

    private static RecordingState? RecordingStateOf(IvsEventName name) => name switch
    {
        IvsEventName.RecordingStart => RecordingState.Active,
        IvsEventName.RecordingEnd => RecordingState.Stopped,
        IvsEventName.RecordingStartFailure => RecordingState.StartFailed,
        IvsEventName.RecordingEndFailure => RecordingState.EndFailed,
        _ => null,
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
