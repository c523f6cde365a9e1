using System.Globalization;
using IvsServerless.Api.Errors;
using IvsServerless.Api.Stages;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Sessions;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Sessions;

/// <summary>
/// The session history read model: who was on a stage when, what they published and recorded, which compositions
/// ran. Same visibility as the stage itself (a stage the caller may not see is 404). Without a configured history
/// (<paramref name="history"/> null) the routes answer 503 and a stage lists no participants.
/// </summary>
/// <param name="bucketOf">The bucket of a storage configuration, null when unknown (<see cref="ApiOptions.BucketOf"/>).</param>
public sealed class SessionService(
    StageAccess access, ISessionHistory? history, ICompositionStore compositions, Func<string, string?> bucketOf)
{
    public async Task<(Stage Stage, Page<SessionSummary> Page)> ListAsync(
        Caller caller, string stageId, string? cursor, string? limit, CancellationToken ct)
    {
        var page = PageQuery(cursor, limit);
        var stage = await access.FindVisibleAsync(caller.UserId, stageId, ct);
        return (stage, await Require().ListSessionsAsync(stageId, page, ct));
    }

    public async Task<(Stage Stage, SessionDetail Session, IReadOnlyList<Composition> Compositions)> GetAsync(
        Caller caller, string stageId, string sessionId,
        CancellationToken ct)
    {
        var stage = await access.FindVisibleAsync(caller.UserId, stageId, ct);
        var session = await Require().FindSessionAsync(stageId, sessionId, ct)
            ?? throw new NotFoundException("session-not-found", "The stage has no such session.");

        // The compositions that ran at some point of the session (IVS allows few per stage, so the list is short).
        var all = await compositions.ListForStageAsync(stageId, ct);
        var overlapping = all.Where(
            c => c.StartedAt <= session.Session.LastActivity && (c.EndedAt ?? DateTimeOffset.MaxValue) >= session.Session.FirstActivity)
            .ToList();
        return (stage, session, overlapping);
    }

    /// <summary>The session's recordings (participants' and compositions'), newest first; same visibility as the stage.</summary>
    public async Task<IReadOnlyList<SessionRecording>> RecordingsAsync(
        Caller caller, string stageId, string sessionId, CancellationToken ct)
    {
        var stage = await access.FindVisibleAsync(caller.UserId, stageId, ct);
        var session = await Require().FindSessionAsync(stageId, sessionId, ct)
            ?? throw new NotFoundException("session-not-found", "The stage has no such session.");
        return SessionRecordings.Of(
            session, await compositions.ListForStageAsync(stageId, ct), bucketOf, live: stage.ActiveSessionId == sessionId);
    }

    /// <summary>The participants of the stage's live session who are on it as far as we know (connected or publishing).</summary>
    public async Task<IReadOnlyList<SessionParticipant>> PresentParticipantsAsync(Stage stage, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (history is null || stage.ActiveSessionId is not { } sessionId)
        {
            return [];
        }

        var session = await history.FindSessionAsync(stage.StageId, sessionId, ct);
        return session is null ? [] : [.. session.Participants.Where(p => p.IsPresent)];
    }

    private ISessionHistory Require() =>
        history
            ?? throw new ServiceUnavailableException(
            "session-history-unavailable", "Session history is not configured in this deployment.");

    private static PageRequest PageQuery(string? cursor, string? limit)
    {
        var size = PageRequest.DefaultLimit;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > PageRequest.MaxLimit))
        {
            throw RequestValidationException.Field("limit", $"An integer from 1 to {PageRequest.MaxLimit}.");
        }

        if (cursor is { Length: 0 or > 2048 })
        {
            // Empty or longer than any cursor this API issues: the same answer as any other bad cursor.
            throw new InvalidCursorException("The cursor is empty or too long.");
        }

        return new PageRequest(cursor, size);
    }
}
