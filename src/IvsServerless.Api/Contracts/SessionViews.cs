using IvsServerless.Api.Recordings;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Sessions;
using IvsServerless.Core.Stages;

namespace IvsServerless.Api.Contracts;

public sealed record SessionSummaryView
{
    public required string SessionId { get; init; }
    public required DateTimeOffset FirstActivity { get; init; }
    public required DateTimeOffset LastActivity { get; init; }

    /// <summary>Whether this is the stage's live session.</summary>
    public required bool Live { get; init; }
}

public sealed record SessionPageView
{
    public required IReadOnlyList<SessionSummaryView> Items { get; init; }
    public string? NextCursor { get; init; }
}

public sealed record SessionDetailView
{
    public required string SessionId { get; init; }
    public required DateTimeOffset FirstActivity { get; init; }
    public required DateTimeOffset LastActivity { get; init; }
    public required bool Live { get; init; }
    public required IReadOnlyList<SessionParticipantView> Participants { get; init; }
    public required IReadOnlyList<CompositionView> Compositions { get; init; }
}

public sealed record SessionParticipantView
{
    public required string ParticipantId { get; init; }
    public required string UserId { get; init; }
    public required bool Publishing { get; init; }

    /// <summary>As of the newest presence check; absent when none has seen the participant.</summary>
    public bool? Connected { get; init; }

    public required DateTimeOffset FirstSeen { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    public string? LastPublishError { get; init; }
    public RecordingView? Recording { get; init; }
    public required IReadOnlyList<TimelineEntryView> Timeline { get; init; }
}

public sealed record RecordingView
{
    /// <summary>ACTIVE, STOPPED, START_FAILED or END_FAILED.</summary>
    public string? State { get; init; }
    public string? S3BucketName { get; init; }
    public string? S3KeyPrefix { get; init; }

    /// <summary>START_FAILED or END_FAILED: the last recording failure, if any.</summary>
    public string? LastFailure { get; init; }
    public DateTimeOffset? LastFailureAt { get; init; }
}

/// <summary>One recording of a session (GET …/sessions/{sessionId}/recordings): a participant's or a composition's.</summary>
public sealed record SessionRecordingView
{
    public required string RecordingId { get; init; }

    /// <summary>participant (individual participant recording) or composition (a composition's S3 destination).</summary>
    public required string Kind { get; init; }
    public required string SessionId { get; init; }

    /// <summary>The recorded participant (participant recordings).</summary>
    public string? ParticipantId { get; init; }

    /// <summary>The composition that recorded (composition recordings).</summary>
    public string? CompositionId { get; init; }

    /// <summary>The recorded participant's user, or the user who started the composition.</summary>
    public required string UserId { get; init; }

    /// <summary>ACTIVE, ENDED, START_FAILED or END_FAILED.</summary>
    public required string State { get; init; }
    public string? S3BucketName { get; init; }
    public string? S3KeyPrefix { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public long? DurationMs { get; init; }

    /// <summary>ENDED recordings in this deployment's bucket: the HLS multivariant playlist, playable as is until
    /// <see cref="PlaybackExpiresAt"/>.</summary>
    public string? PlaybackUrl { get; init; }

    /// <summary>Presigned thumbnail images (the first few), with the playback URL.</summary>
    public IReadOnlyList<string>? ThumbnailUrls { get; init; }

    public DateTimeOffset? PlaybackExpiresAt { get; init; }
}

public sealed record RecordingListView
{
    public required IReadOnlyList<SessionRecordingView> Items { get; init; }
}

public sealed record TimelineEntryView
{
    public required DateTimeOffset Time { get; init; }
    public required string EventName { get; init; }
    public string? ErrorCode { get; init; }
}

public static class SessionViews
{
    public static SessionSummaryView Of(SessionSummary s, Stage stage)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(stage);
        return new SessionSummaryView
        {
            SessionId = s.SessionId,
            FirstActivity = s.FirstActivity,
            LastActivity = s.LastActivity,
            Live = stage.ActiveSessionId == s.SessionId
        };
    }

    public static SessionDetailView Of(SessionDetail detail, Stage stage, IReadOnlyList<Composition> compositions)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(stage);
        return new SessionDetailView
        {
            SessionId = detail.Session.SessionId,
            FirstActivity = detail.Session.FirstActivity,
            LastActivity = detail.Session.LastActivity,
            Live = stage.ActiveSessionId == detail.Session.SessionId,
            Participants = [.. detail.Participants.Select(Of)],
            Compositions = [.. compositions.Select(Views.Of)],
        };
    }

    public static SessionParticipantView Of(SessionParticipant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var p = participant.Projection;
        var hasRecording = p.Recording is not null || p.RecordingLocation is not null || p.LastRecordingFailure is not null;
        return new SessionParticipantView
        {
            ParticipantId = participant.ParticipantId,
            UserId = participant.UserId,
            Publishing = participant.Publishing,
            Connected = participant.Connected,
            FirstSeen = p.FirstSeen,
            LastSeen = p.LastSeen,
            LastPublishError = p.LastPublishError?.Value,
            Recording = hasRecording ? new RecordingView
            {
                State = p.Recording is { } r ? Name(r.Value) : null,
                S3BucketName = p.RecordingLocation?.Value.S3BucketName,
                S3KeyPrefix = p.RecordingLocation?.Value.S3KeyPrefix,
                LastFailure = p.LastRecordingFailure is { } f ? Name(f.Value) : null,
                LastFailureAt = p.LastRecordingFailure?.Stamp.Time,
            } : null,
            Timeline = [
                .. participant.Timeline.Select(
                t => new TimelineEntryView { Time = t.Time, EventName = t.EventName, ErrorCode = t.ErrorCode })],
        };
    }

    /// <param name="playback">Playback of the finished recordings, by recording id.</param>
    /// <param name="deleted">Recordings whose objects were deleted: not listed.</param>
    public static RecordingListView Of(
        IReadOnlyList<SessionRecording> recordings, IReadOnlyDictionary<string, RecordingPlayback>? playback = null,
        IReadOnlySet<string>? deleted = null)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        return new RecordingListView
        {
            Items =
            [
                .. recordings.Where(r => deleted?.Contains(r.RecordingId) != true).Select(r => new SessionRecordingView
                {
                    RecordingId = r.RecordingId,
                    Kind = r.Kind == RecordingKind.Composition ? "composition" : "participant",
                    SessionId = r.SessionId,
                    ParticipantId = r.ParticipantId,
                    CompositionId = r.CompositionId,
                    UserId = r.UserId,
                    State = r.State == RecordingState.Stopped ? "ENDED" : Name(r.State),
                    S3BucketName = r.S3BucketName,
                    S3KeyPrefix = r.S3KeyPrefix,
                    StartedAt = r.StartedAt,
                    EndedAt = r.EndedAt,
                    DurationMs = r.Duration is { } d ? (long)d.TotalMilliseconds : null,
                    PlaybackUrl = playback?.GetValueOrDefault(r.RecordingId)?.PlaylistUrl.AbsoluteUri,
                    ThumbnailUrls = playback?.GetValueOrDefault(r.RecordingId) is { } p
                        ? [.. p.ThumbnailUrls.Select(u => u.AbsoluteUri)]
                        : null,
                    PlaybackExpiresAt = playback?.GetValueOrDefault(r.RecordingId)?.ExpiresAt,
                }),
            ],
        };
    }

    private static string Name(RecordingState state) => state switch
    {
        RecordingState.Active => "ACTIVE",
        RecordingState.Stopped => "STOPPED",
        RecordingState.StartFailed => "START_FAILED",
        _ => "END_FAILED",
    };
}
