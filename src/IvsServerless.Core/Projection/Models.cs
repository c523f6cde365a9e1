using System.Collections.Immutable;

namespace IvsServerless.Core.Projection;

public readonly record struct ParticipantKey(string StageId, string SessionId, string ParticipantId);

public readonly record struct SessionKey(string StageId, string SessionId);

public readonly record struct DestinationKey(string CompositionArn, string DestinationId);

public enum RecordingState
{
    Active,
    Stopped,
    StartFailed,
    EndFailed,
}

public enum CompositionState
{
    Active,
    Reconnecting,
    Stopped,
    Failed,
}

public sealed record RecordingLocation(string S3BucketName, string S3KeyPrefix);

/// <summary>Replication as last reported for this participant in this stage (<c>Replica</c>: this stage holds the copy).</summary>
public sealed record ReplicationStatus(bool Active, bool Replica, string? SourceStageArn, string? DestinationStageArn);

public sealed record CompositionStatus(CompositionState State, string? FailureReason);

/// <summary>
/// One participant in one stage session. <see cref="FirstSeen"/>/<see cref="LastSeen"/> are the min/max event time
/// seen; each other member is an independent field group (see Projection/README.md).
/// </summary>
public sealed record ParticipantProjection(
    ParticipantKey Key,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    Stamped<string>? UserId = null,
    Stamped<bool>? Publishing = null,
    Stamped<string>? LastPublishError = null,
    Stamped<RecordingState>? Recording = null,
    Stamped<RecordingLocation>? RecordingLocation = null,
    Stamped<RecordingState>? LastRecordingFailure = null,
    Stamped<ReplicationStatus>? Replication = null);

public sealed record SessionProjection(SessionKey Key, DateTimeOffset FirstActivity, DateTimeOffset LastActivity);

public sealed record CompositionProjection(
    string CompositionArn, Stamped<string>? StageArn = null, Stamped<CompositionStatus>? Status = null);

/// <summary>
/// One composition destination: its status group, and when it started (<see cref="StartedAt"/>: the earliest Destination Start)
/// and ended (<see cref="EndedAt"/>: the latest Destination End or Failure), min/max times like a participant's first/last seen.
/// </summary>
public sealed record DestinationProjection(
    DestinationKey Key, Stamped<CompositionStatus>? Status = null, DateTimeOffset? StartedAt = null, DateTimeOffset? EndedAt = null);

/// <summary>
/// Everything the events have told us, one entry per future DynamoDB item. Equality compares contents, so two states
/// reached through different delivery orders can be compared directly.
/// </summary>
public sealed record ProjectionState(
    ImmutableDictionary<ParticipantKey, ParticipantProjection> Participants,
    ImmutableDictionary<SessionKey, SessionProjection> Sessions,
    ImmutableDictionary<string, CompositionProjection> Compositions,
    ImmutableDictionary<DestinationKey, DestinationProjection> Destinations)
{
    public static ProjectionState Empty { get; } = new(
        ImmutableDictionary<ParticipantKey, ParticipantProjection>.Empty,
        ImmutableDictionary<SessionKey, SessionProjection>.Empty,
        ImmutableDictionary<string, CompositionProjection>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<DestinationKey, DestinationProjection>.Empty);

    public bool Equals(ProjectionState? other) =>
        other is not null && SameEntries(Participants, other.Participants) && SameEntries(Sessions, other.Sessions)
        && SameEntries(Compositions, other.Compositions) && SameEntries(Destinations, other.Destinations);

    public override int GetHashCode() => HashCode.Combine(Participants.Count, Sessions.Count, Compositions.Count, Destinations.Count);

    private static bool SameEntries<TKey, TValue>(ImmutableDictionary<TKey, TValue> a, ImmutableDictionary<TKey, TValue> b)
        where TKey : notnull =>
        a.Count == b.Count
            && a.All(entry => b.TryGetValue(entry.Key, out var value) && EqualityComparer<TValue>.Default.Equals(entry.Value, value));
}
