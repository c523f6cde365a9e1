namespace IvsServerless.Core.Projection;

/// <summary>
/// What a guarded write of one item's field groups does to the stored item: each group is taken from the side with
/// the newer stamp, first/last times are min/max. A batch folds its events per item with <see cref="Projector"/> (starting
/// from nothing) and writes each item once; merging that into the stored item equals applying the events one by one
/// (property-tested), so the batched write path keeps the projection's rules without changing them.
/// </summary>
public static class ProjectionMerge
{
    public static ParticipantProjection Merge(ParticipantProjection? stored, ParticipantProjection incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return stored is null ? incoming : stored with
        {
            FirstSeen = Min(stored.FirstSeen, incoming.FirstSeen),
            LastSeen = Max(stored.LastSeen, incoming.LastSeen),
            UserId = Newest(stored.UserId, incoming.UserId),
            Publishing = Newest(stored.Publishing, incoming.Publishing),
            LastPublishError = Newest(stored.LastPublishError, incoming.LastPublishError),
            Recording = Newest(stored.Recording, incoming.Recording),
            RecordingLocation = Newest(stored.RecordingLocation, incoming.RecordingLocation),
            LastRecordingFailure = Newest(stored.LastRecordingFailure, incoming.LastRecordingFailure),
            Replication = Newest(stored.Replication, incoming.Replication),
        };
    }

    public static SessionProjection Merge(SessionProjection? stored, SessionProjection incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return stored is null ? incoming : stored with
        {
            FirstActivity = Min(stored.FirstActivity, incoming.FirstActivity),
            LastActivity = Max(stored.LastActivity, incoming.LastActivity),
        };
    }

    public static CompositionProjection Merge(CompositionProjection? stored, CompositionProjection incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return stored is null ? incoming : stored with
        {
            StageArn = Newest(stored.StageArn, incoming.StageArn),
            Status = Newest(stored.Status, incoming.Status),
        };
    }

    public static DestinationProjection Merge(DestinationProjection? stored, DestinationProjection incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return stored is null ? incoming : stored with
        {
            Status = Newest(stored.Status, incoming.Status),
            StartedAt = Projector.MinOf(stored.StartedAt, incoming.StartedAt),
            EndedAt = Projector.MaxOf(stored.EndedAt, incoming.EndedAt),
        };
    }

    /// <summary>Every item of <paramref name="incoming"/> merged into <paramref name="stored"/>.</summary>
    public static ProjectionState Merge(ProjectionState stored, ProjectionState incoming)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(incoming);
        return stored with
        {
            Participants = stored.Participants.SetItems(
                incoming.Participants.Select(
                    p => KeyValuePair.Create(p.Key, Merge(stored.Participants.GetValueOrDefault(p.Key), p.Value)))),
            Sessions = stored.Sessions.SetItems(
                incoming.Sessions.Select(s => KeyValuePair.Create(s.Key, Merge(stored.Sessions.GetValueOrDefault(s.Key), s.Value)))),
            Compositions = stored.Compositions.SetItems(incoming.Compositions.Select(
                c => KeyValuePair.Create(c.Key, Merge(stored.Compositions.GetValueOrDefault(c.Key), c.Value)))),
            Destinations = stored.Destinations.SetItems(incoming.Destinations.Select(
                d => KeyValuePair.Create(d.Key, Merge(stored.Destinations.GetValueOrDefault(d.Key), d.Value)))),
        };
    }

    private static Stamped<T>? Newest<T>(Stamped<T>? stored, Stamped<T>? incoming) =>
        incoming is null ? stored : Stamped.Newest(stored, incoming);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
