using System.Buffers.Text;
using System.Globalization;
using System.Text;
using IvsServerless.Core.Events;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Sessions;

namespace IvsServerless.Testing.Projection;

/// <summary>
/// The projection in memory, for unit tests: <see cref="Projector.Apply"/> for events, the DynamoDB adapter's
/// presence rules (newest observation wins; user id, first/last seen and the session only filled in when absent),
/// and the session history read model over both. Thread-safe.
/// </summary>
public sealed class InMemoryProjectionStore : IProjectionStore, ISessionHistory
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ParticipantKey, ParticipantPresence> _presence = [];
    private readonly Dictionary<SessionKey, SortedDictionary<string, (ParticipantKey Key, TimelineEntry Entry)>> _log = [];
    private ProjectionState _state = ProjectionState.Empty;

    public ProjectionState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    public int Applied { get; private set; }

    public Task ApplyAsync(ParsedIvsEvent ivsEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ivsEvent);
        lock (_lock)
        {
            _state = Projector.Apply(_state, ivsEvent);
            Applied++;
            if (ivsEvent.Detail is StageUpdateDetail or ParticipantRecordingDetail)
            {
                var key = Projector.ParticipantKeyOf(ivsEvent);
                var sessionKey = new SessionKey(key.StageId, key.SessionId);
                if (!_log.TryGetValue(sessionKey, out var log))
                {
                    _log[sessionKey] = log = new SortedDictionary<string, (ParticipantKey, TimelineEntry)>(StringComparer.Ordinal);
                }

                log.TryAdd(
                    EventStamp.Of(ivsEvent).ToSortKey(), (
                    key, new TimelineEntry(ivsEvent.EventTime.ToUniversalTime(), ivsEvent.EventNameText, ivsEvent.Id,
                    (ivsEvent.Detail as StageUpdateDetail)?.ErrorCode)));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The events one by one, reporting contested publishing values as the DynamoDB store does (what each
    /// participant held before the batch, and the batch's publish events).</summary>
    public async Task<ProjectionBatchResult> ApplyBatchAsync(IReadOnlyList<ParsedIvsEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var claims = events.Where(e => PublishingTie.Claim(e) is not null).GroupBy(Projector.ParticipantKeyOf).ToList();
        var before = State;
        foreach (var e in events)
        {
            await ApplyAsync(e, cancellationToken);
        }

        var contested = claims.Where(g => PublishingTie.IsContested([
            .. before.Participants.GetValueOrDefault(g.Key)?.Publishing is { } stored ? [stored] : Array.Empty<Stamped<bool>>(),
            .. g.Select(e => PublishingTie.Claim(e)!)])).Select(g => g.Key).ToList();
        return new ProjectionBatchResult(new HashSet<int>(), contested);
    }

    public Task RecordPresenceAsync(ParticipantPresence presence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presence);
        lock (_lock)
        {
            if (!_presence.TryGetValue(presence.Key, out var current) || current.ObservedAt < presence.ObservedAt)
            {
                _presence[presence.Key] = presence;
            }

            var seen = (presence.FirstJoinTime ?? presence.ObservedAt).ToUniversalTime();
            var participant = _state.Participants.GetValueOrDefault(presence.Key) ?? new ParticipantProjection(presence.Key, seen, seen);
            if (participant.UserId is null && presence.UserId is not null)
            {
                participant = participant with { UserId = new Stamped<string>(presence.UserId, EventStamp.Lowest) };
            }

            var sessionKey = new SessionKey(presence.Key.StageId, presence.Key.SessionId);
            _state = _state with
            {
                Participants = _state.Participants.SetItem(presence.Key, participant),
                Sessions = _state.Sessions.ContainsKey(sessionKey) ? _state.Sessions : _state.Sessions.SetItem(
                    sessionKey, new SessionProjection(sessionKey, seen, seen)),
            };
        }

        return Task.CompletedTask;
    }

    public Task<Page<SessionSummary>> ListSessionsAsync(string stageId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = page.Cursor is null ? null : DecodeCursor(stageId, page.Cursor);
        List<SessionSummary> sessions;
        lock (_lock)
        {
            sessions = [.. _state.Sessions.Values
                .Where(s => s.Key.StageId == stageId)
                .Select(s => new SessionSummary(stageId, s.Key.SessionId, s.FirstActivity, s.LastActivity))
                .OrderByDescending(ListingKey, StringComparer.Ordinal)];
        }

        var remaining = after is null ? sessions : sessions.Where(s => string.CompareOrdinal(ListingKey(s), after) < 0).ToList();
        var limit = Math.Clamp(page.Limit, 1, PageRequest.MaxLimit);
        var items = remaining.Take(limit).ToList();
        var next = remaining.Count > limit ? EncodeCursor(stageId, ListingKey(items[^1])) : null;
        return Task.FromResult(new Page<SessionSummary>(items, next));
    }

    public Task<SessionDetail?> FindSessionAsync(string stageId, string sessionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = new SessionKey(stageId, sessionId);
            if (!_state.Sessions.TryGetValue(key, out var session))
            {
                return Task.FromResult<SessionDetail?>(null);
            }

            var log = _log.GetValueOrDefault(key);
            var participants = _state.Participants.Values
                .Where(p => p.Key.StageId == stageId && p.Key.SessionId == sessionId)
                .Select(p =>
                {
                    var presence = _presence.GetValueOrDefault(p.Key);
                    var timeline = log?.Values.Where(e => e.Key == p.Key).Select(e => e.Entry).ToList() ?? [];
                    return new SessionParticipant(p, presence?.Connected, presence?.ObservedAt, timeline);
                })
                .OrderBy(p => p.Projection.FirstSeen)
                .ThenBy(p => p.ParticipantId, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult<SessionDetail?>(
                new SessionDetail(new SessionSummary(stageId, sessionId, session.FirstActivity, session.LastActivity), participants));
        }
    }

    private static string ListingKey(SessionSummary s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.FirstActivity.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}#{s.SessionId}");

    private static string EncodeCursor(string stageId, string listingKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(stageId + "|" + listingKey));

    private static string DecodeCursor(string stageId, string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(stageId + "|", StringComparison.Ordinal) ? text[(stageId.Length + 1)..] : throw Invalid();
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    private static InvalidCursorException Invalid() => new("The cursor is not valid for this listing.");
}
