using IvsServerless.Core.Events;

namespace IvsServerless.Core.Projection;

/// <summary>One item a batch writes once: its groups folded from <see cref="Events"/> (indices into the batch).</summary>
public sealed record BatchItem<T>(T Item, IReadOnlyList<int> Events);

/// <summary>A composition item: the composition's groups and those of the destinations that live on it.</summary>
public sealed record CompositionBatchItem(
    string StageId, CompositionProjection Composition, IReadOnlyList<DestinationProjection> Destinations);

/// <summary>
/// A batch of events grouped by the item they touch, each item folded with <see cref="Projector"/> from nothing: the
/// newest stamp per field group and the min/max times of that item's events in the batch. A store writes each item
/// once (see <see cref="ProjectionMerge"/> for why that equals the events one by one); when an item's write fails,
/// exactly the events listed for it are the ones to retry.
/// </summary>
public sealed class ProjectionBatch
{
    private ProjectionBatch(
        IReadOnlyList<BatchItem<ParticipantProjection>> participants, IReadOnlyList<BatchItem<SessionProjection>> sessions,
        IReadOnlyList<BatchItem<CompositionBatchItem>> compositions, IReadOnlyList<int> logged)
    {
        Participants = participants;
        Sessions = sessions;
        Compositions = compositions;
        Logged = logged;
    }

    public IReadOnlyList<BatchItem<ParticipantProjection>> Participants { get; }

    public IReadOnlyList<BatchItem<SessionProjection>> Sessions { get; }

    public IReadOnlyList<BatchItem<CompositionBatchItem>> Compositions { get; }

    /// <summary>The stage and recording events, which each get an entry in their session's event log.</summary>
    public IReadOnlyList<int> Logged { get; }

    public static ProjectionBatch Of(IReadOnlyList<ParsedIvsEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var participants = new Dictionary<ParticipantKey, (ParticipantProjection Item, List<int> Events)>();
        var sessions = new Dictionary<SessionKey, (SessionProjection Item, List<int> Events)>();
        var compositions = new Dictionary<string, (ProjectionState State, string StageId, List<int> Events)>(StringComparer.Ordinal);
        var logged = new List<int>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            switch (e.Detail)
            {
                case StageUpdateDetail or ParticipantRecordingDetail:
                    var key = Projector.ParticipantKeyOf(e);
                    var sessionKey = new SessionKey(key.StageId, key.SessionId);
                    var participant = participants.GetValueOrDefault(key);
                    participants[key] = (Projector.ApplyToParticipant(participant.Item, e), participant.Events ?? []);
                    participants[key].Events.Add(i);
                    var session = sessions.GetValueOrDefault(sessionKey);
                    sessions[sessionKey] = (Projector.ApplyToSession(session.Item, e), session.Events ?? []);
                    sessions[sessionKey].Events.Add(i);
                    logged.Add(i);
                    break;

                case CompositionStateDetail detail:
                    var composition = compositions.GetValueOrDefault(e.ResourceArn);
                    compositions[e.ResourceArn] = (Projector.Apply(composition.State ?? ProjectionState.Empty, e),
                        IvsEventParser.ResourceId(detail.StageArn!), composition.Events ?? []);
                    compositions[e.ResourceArn].Events.Add(i);
                    break;
            }
        }

        return new ProjectionBatch(
            [.. participants.Values.Select(p => new BatchItem<ParticipantProjection>(p.Item, p.Events))],
            [.. sessions.Values.Select(s => new BatchItem<SessionProjection>(s.Item, s.Events))],
            [.. compositions.Select(c => new BatchItem<CompositionBatchItem>(
                new CompositionBatchItem(c.Value.StageId, c.Value.State.Compositions[c.Key], [.. c.Value.State.Destinations.Values]),
                c.Value.Events))],
            logged);
    }

    /// <summary>The batch as the pure state its items hold (for stores that keep <see cref="ProjectionState"/>).</summary>
    public ProjectionState ToState() => ProjectionState.Empty with
    {
        Participants = ProjectionState.Empty.Participants.SetItems(
            Participants.Select(p => KeyValuePair.Create(p.Item.Key, p.Item))),
        Sessions = ProjectionState.Empty.Sessions.SetItems(Sessions.Select(s => KeyValuePair.Create(s.Item.Key, s.Item))),
        Compositions = ProjectionState.Empty.Compositions.SetItems(
            Compositions.Select(c => KeyValuePair.Create(c.Item.Composition.CompositionArn, c.Item.Composition))),
        Destinations = ProjectionState.Empty.Destinations.SetItems(
            Compositions.SelectMany(c => c.Item.Destinations).Select(d => KeyValuePair.Create(d.Key, d))),
    };
}
