using IvsServerless.Core.Paging;
using IvsServerless.Core.Projection;

namespace IvsServerless.Core.Sessions;

/// <summary>
/// The read side of the event projection: a stage's sessions and who did what in each. Visibility is the caller's
/// job (the API checks the stage first); this port only reads.
/// </summary>
public interface ISessionHistory
{
    /// <summary>The stage's sessions, newest first (by first activity). Throws <see cref="InvalidCursorException"/> for a foreign
    /// cursor.</summary>
    Task<Page<SessionSummary>> ListSessionsAsync(string stageId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>One session with its participants and their timelines; null when nothing is known about it.</summary>
    Task<SessionDetail?> FindSessionAsync(string stageId, string sessionId, CancellationToken cancellationToken);
}

public sealed record SessionSummary(string StageId, string SessionId, DateTimeOffset FirstActivity, DateTimeOffset LastActivity);

public sealed record SessionDetail(SessionSummary Session, IReadOnlyList<SessionParticipant> Participants);

/// <summary>
/// A participant as the events and the reconciler's presence checks describe it. <see cref="Connected"/> is null
/// until a presence check has seen the participant (no IVS event reports joins or leaves).
/// </summary>
public sealed record SessionParticipant(
    ParticipantProjection Projection,
    bool? Connected,
    DateTimeOffset? PresenceObservedAt,
    IReadOnlyList<TimelineEntry> Timeline)
{
    public string ParticipantId => Projection.Key.ParticipantId;

    /// <summary>"" when IVS reported no user id.</summary>
    public string UserId => Projection.UserId?.Value ?? "";

    public bool Publishing => Projection.Publishing?.Value == true;

    /// <summary>
    /// On the stage as far as we know: connected per the newest presence check, or publishing per the events unless
    /// a presence check newer than that publish saw the participant gone (the Unpublished event may be lost).
    /// </summary>
    public bool IsPresent => Connected == true
        || (Publishing && !(Connected == false && PresenceObservedAt >= Projection.Publishing!.Stamp.Time));
}

/// <summary>One applied event of the participant, oldest first in a timeline.</summary>
public sealed record TimelineEntry(DateTimeOffset Time, string EventName, string EventId, string? ErrorCode);
