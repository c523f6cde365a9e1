using IvsServerless.Core.Compositions;
using IvsServerless.Core.Projection;

namespace IvsServerless.Core.Sessions;

/// <summary>What recorded: one publisher (individual participant recording) or a composition's S3 destination.</summary>
public enum RecordingKind
{
    Participant,
    Composition,
}

/// <summary>
/// One recording of a session: an individual participant recording, as the <c>IVS Participant Recording State Change</c>
/// events describe it, or a composition's S3 recording, as its destination events describe it. Where IVS wrote it, its state
/// and when it started and ended (null until the event arrived). Derived from the projection (recording groups, the
/// participant's timeline, the destination's status and times), so it is as order-tolerant and idempotent as the projection.
/// </summary>
/// <param name="ParticipantId">The recorded participant; null for a composition.</param>
/// <param name="UserId">The recorded participant's user, or the user who started the composition.</param>
public sealed record SessionRecording(
    string SessionId,
    string? ParticipantId,
    string UserId,
    RecordingState State,
    string? S3BucketName,
    string? S3KeyPrefix,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt)
{
    /// <summary>The middle part of a composition recording's id.</summary>
    public const string CompositionMarker = "composition";

    public RecordingKind Kind { get; init; } = RecordingKind.Participant;

    /// <summary>The composition whose S3 destination recorded (composition recordings only).</summary>
    public string? CompositionId { get; init; }

    /// <summary>
    /// Stable and unique per stage: the session and the participant (IVS records a participant once per session), or the
    /// session, <c>composition</c> and the composition id (a composition has at most one S3 destination).
    /// </summary>
    public string RecordingId => Kind == RecordingKind.Composition
        ? $"{SessionId}~{CompositionMarker}~{CompositionId}"
        : $"{SessionId}~{ParticipantId}";

    public TimeSpan? Duration => StartedAt is { } start && EndedAt is { } end && end >= start ? end - start : null;
}

public static class SessionRecordings
{
    public const string RecordingStart = "Recording Start";
    public const string RecordingEnd = "Recording End";
    public const string RecordingStartFailure = "Recording Start Failure";
    public const string RecordingEndFailure = "Recording End Failure";

    /// <summary>The session's individual participant recordings, newest first (by start, then recording id).</summary>
    public static IReadOnlyList<SessionRecording> Of(SessionDetail session) => Of(session, [], _ => null, live: false);

    /// <summary>
    /// The session's recordings, newest first (by start, then recording id): its participants' and those of the
    /// <paramref name="compositions"/> (the stage's) whose S3 destination recorded in it — the session that was live when the
    /// API started the composition, or, when none was known then, the session during which its recording started (from its
    /// first activity to its last, or on while <paramref name="live"/>). A composition is listed once an event reported its
    /// S3 destination. <paramref name="bucketOf"/> names the bucket of a storage configuration (null: unknown).
    /// </summary>
    public static IReadOnlyList<SessionRecording> Of(
        SessionDetail session, IReadOnlyList<Composition> compositions, Func<string, string?> bucketOf, bool live)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(compositions);
        ArgumentNullException.ThrowIfNull(bucketOf);
        var participants = session.Participants
            .Where(p => p.Projection.Recording is not null)
            .Select(p => Of(session.Session.SessionId, p));
        var composites = compositions
            .Select(c => Of(session.Session, live, c, bucketOf))
            .OfType<SessionRecording>();
        return
        [
            .. participants.Concat(composites)
                .OrderByDescending(r => r.StartedAt ?? DateTimeOffset.MinValue)
                .ThenBy(r => r.RecordingId, StringComparer.Ordinal),
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

    private static SessionRecording? Of(SessionSummary session, bool live, Composition composition, Func<string, string?> bucketOf)
    {
        if (composition.Recording is not { } target
            || composition.Destinations?.FirstOrDefault(d => d.DestinationId == target.DestinationId) is not { } destination)
        {
            return null;
        }

        var state = destination.State switch
        {
            "ACTIVE" or "RECONNECTING" => RecordingState.Active,
            "STOPPED" => RecordingState.Stopped,
            _ => destination.StartedAt is null ? RecordingState.StartFailed : RecordingState.EndFailed,
        };
        var started = destination.StartedAt ?? composition.StartedAt;
        var inSession = target.SessionId is { } sessionId
            ? sessionId == session.SessionId
            : started >= session.FirstActivity && (live || started <= session.LastActivity);
        return inSession
            ? new SessionRecording(session.SessionId, null, composition.StartedBy, state, bucketOf(target.StorageConfigurationArn),
                target.S3KeyPrefix, destination.StartedAt, destination.EndedAt)
            {
                Kind = RecordingKind.Composition,
                CompositionId = composition.CompositionId,
            }
            : null;
    }
}
