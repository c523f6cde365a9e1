using IvsServerless.Core.Projection;

namespace IvsServerless.Core.Sessions;

/// <summary>
/// One individual participant recording of a session, as the <c>IVS Participant Recording State Change</c> events describe it:
/// where IVS wrote it, its state and when it started and ended (null until the event arrived). Derived from the projection
/// (its recording groups and the participant's timeline), so it is as order-tolerant and idempotent as the projection.
/// </summary>
public sealed record SessionRecording(
    string SessionId,
    string ParticipantId,
    string UserId,
    RecordingState State,
    string? S3BucketName,
    string? S3KeyPrefix,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt)
{
    /// <summary>Stable and unique per stage: the session and the participant (IVS records a participant once per session).</summary>
    public string RecordingId => $"{SessionId}~{ParticipantId}";

    public TimeSpan? Duration => StartedAt is { } start && EndedAt is { } end && end >= start ? end - start : null;
}

public static class SessionRecordings
{
    public const string RecordingStart = "Recording Start";
    public const string RecordingEnd = "Recording End";
    public const string RecordingStartFailure = "Recording Start Failure";
    public const string RecordingEndFailure = "Recording End Failure";

    /// <summary>The session's recordings, newest first (by start, then participant id, for a stable order).</summary>
    public static IReadOnlyList<SessionRecording> Of(SessionDetail session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return
        [
            .. session.Participants
                .Where(p => p.Projection.Recording is not null)
                .Select(p => Of(session.Session.SessionId, p))
                .OrderByDescending(r => r.StartedAt ?? DateTimeOffset.MinValue)
                .ThenBy(r => r.ParticipantId, StringComparer.Ordinal),
        ];
    }

    private static SessionRecording Of(string sessionId, SessionParticipant participant)
    {
        var p = participant.Projection;
        var starts = participant.Timeline.Where(t => t.EventName is RecordingStart or RecordingStartFailure).Select(t => t.Time).ToList();
        var ends = participant.Timeline.Where(t => t.EventName is RecordingEnd or RecordingEndFailure).Select(t => t.Time).ToList();
        return new SessionRecording(
            sessionId,
            participant.ParticipantId,
            participant.UserId,
            p.Recording!.Value,
            p.RecordingLocation?.Value.S3BucketName,
            p.RecordingLocation?.Value.S3KeyPrefix,
            starts.Count > 0 ? starts.Min() : null,
            ends.Count > 0 ? ends.Max() : null);
    }
}
