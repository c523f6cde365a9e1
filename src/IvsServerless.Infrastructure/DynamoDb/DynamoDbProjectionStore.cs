using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// The event projection in the single table, written with the conditional-write contract of
/// Core/Projection/README.md: every field group is guarded by its stamp (or min/max time), so redelivered, late and
/// reordered events change nothing they should not. Participants and sessions live under their stage's partition;
/// composition events update the composition item the API stored (never creating one).
/// </summary>
public sealed class DynamoDbProjectionStore(IAmazonDynamoDB dynamo, DynamoDbOptions options) : IProjectionStore
{
    private readonly GroupWriter _writer = new(dynamo, options);

    public async Task ApplyAsync(ParsedIvsEvent ivsEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ivsEvent);
        switch (ivsEvent.Detail)
        {
            case StageUpdateDetail or ParticipantRecordingDetail:
                var participant = Projector.ApplyToParticipant(null, ivsEvent);
                var session = Projector.ApplyToSession(null, ivsEvent);
                var key = participant.Key;
                await Task.WhenAll(
                    _writer.WriteAsync(ProjectionItems.Key(key.StageId, TableLayout.ParticipantSortKey(key.SessionId, key.ParticipantId)),
                        ProjectionItems.ParticipantConstants(key), ProjectionItems.ParticipantGroups(participant), requireItem: false,
                            cancellationToken),
                    _writer.WriteAsync(ProjectionItems.Key(key.StageId, TableLayout.SessionSortKey(key.SessionId)),
                        ProjectionItems.SessionConstants(session.Key), ProjectionItems.SessionGroups(session), requireItem: false,
                            cancellationToken),
                    AppendToLogAsync(ivsEvent, key, cancellationToken));
                return;

            case CompositionStateDetail detail:
                var composition = Projector.ApplyToComposition(null, ivsEvent);
                var groups = ProjectionItems.CompositionGroups(composition);
                if (detail.DestinationId is { Length: > 0 }
                    && Projector.Apply(ProjectionState.Empty, ivsEvent).Destinations.Values.FirstOrDefault() is { } destination
                    && ProjectionItems.DestinationGroup(destination) is { } destinationGroup)
                {
                    groups.Add(destinationGroup);
                }

                // A composition this backend did not start (or has not stored yet) has no item: nothing to update.
                await _writer.WriteAsync(
                    ProjectionItems.Key(
                        IvsEventParser.ResourceId(detail.StageArn!), TableLayout.CompositionSortKey(
                        IvsEventParser.ResourceId(ivsEvent.ResourceArn))),
                    [], groups, requireItem: true, cancellationToken);
                return;
        }
    }

    public async Task RecordPresenceAsync(ParticipantPresence presence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presence);
        var key = presence.Key;
        var seen = ProjectionItems.Time(presence.FirstJoinTime ?? presence.ObservedAt);
        var participantGroups = new List<FieldGroup>
        {
            FieldGroup.Stamped(
                "presence", ProjectionItems.Time(presence.ObservedAt), (
                ProjectionItems.Connected, ProjectionItems.Bool(presence.Connected))),
            // Events are the source of these; a presence check only fills them in when no event has (yet).
            FieldGroup.IfAbsent(ProjectionItems.FirstSeen, ProjectionItems.S(seen)),
            FieldGroup.IfAbsent(ProjectionItems.LastSeen, ProjectionItems.S(seen)),
        };
        if (presence.UserId is { } userId)
        {
            participantGroups.Add(FieldGroup.IfAbsent(ProjectionItems.UserId, ProjectionItems.S(userId)));
        }

        var sessionKey = new SessionKey(key.StageId, key.SessionId);
        List<FieldGroup> sessionGroups =
        [
            FieldGroup.IfAbsent(ProjectionItems.FirstActivity, ProjectionItems.S(seen),
                (
                    TableLayout.OwnerIndexSortKey, ProjectionItems.S(
                    ProjectionItems.SessionListingKey(presence.FirstJoinTime ?? presence.ObservedAt, key.SessionId)))),
            FieldGroup.IfAbsent(ProjectionItems.LastActivity, ProjectionItems.S(seen)),
        ];
        await Task.WhenAll(
            _writer.WriteAsync(ProjectionItems.Key(key.StageId, TableLayout.ParticipantSortKey(key.SessionId, key.ParticipantId)),
                ProjectionItems.ParticipantConstants(key), participantGroups, requireItem: false, cancellationToken),
            _writer.WriteAsync(ProjectionItems.Key(key.StageId, TableLayout.SessionSortKey(key.SessionId)),
                ProjectionItems.SessionConstants(sessionKey), sessionGroups, requireItem: false, cancellationToken));
    }

    /// <summary>
    /// Everything projected for one stage, as <see cref="Projector"/> would hold it: for tests, tools and the
    /// benchmark that compare the table with the pure rules.
    /// </summary>
    public async Task<ProjectionState> ReadStageAsync(string stageId, CancellationToken cancellationToken)
    {
        var state = ProjectionState.Empty;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                KeyConditionExpression = "PK = :stage",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":stage"] = ProjectionItems.S(TableLayout.StagePartition(stageId))
                },
                ExclusiveStartKey = start,
                ConsistentRead = true,
            }, cancellationToken);
            foreach (var item in response.Items)
            {
                state = Add(state, item);
            }

            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return state;
    }

    private static ProjectionState Add(ProjectionState state, Dictionary<string, AttributeValue> item)
    {
        var type = item.TryGetValue(ProjectionItems.ItemType, out var t) ? t.S : null;
        if (type == ProjectionItems.ParticipantType && item.ContainsKey(ProjectionItems.FirstSeen))
        {
            var participant = ProjectionItems.ReadParticipant(item);
            return state with { Participants = state.Participants.SetItem(participant.Key, participant) };
        }

        if (type == ProjectionItems.SessionType)
        {
            var session = ProjectionItems.ReadSession(item);
            return state with { Sessions = state.Sessions.SetItem(session.Key, session) };
        }

        if (item[TableLayout.SortKey].S.StartsWith(TableLayout.CompositionSortKeyPrefix, StringComparison.Ordinal)
            && ProjectionItems.ReadComposition(item) is { } composition)
        {
            state = state with { Compositions = state.Compositions.SetItem(composition.CompositionArn, composition) };
            foreach (var destination in ProjectionItems.ReadDestinations(item))
            {
                state = state with { Destinations = state.Destinations.SetItem(destination.Key, destination) };
            }
        }

        return state;
    }

    private async Task AppendToLogAsync(ParsedIvsEvent e, ParticipantKey key, CancellationToken cancellationToken)
    {
        var stamp = EventStamp.Of(e).ToSortKey();
        var item = ProjectionItems.Key(key.StageId, TableLayout.SessionEventSortKey(key.SessionId, stamp));
        item[ProjectionItems.ItemType] = ProjectionItems.S(ProjectionItems.EventType);
        item["sessionId"] = ProjectionItems.S(key.SessionId);
        item["participantId"] = ProjectionItems.S(key.ParticipantId);
        item["eventId"] = ProjectionItems.S(e.Id);
        item["eventName"] = ProjectionItems.S(e.EventNameText);
        item["eventTime"] = ProjectionItems.S(ProjectionItems.Time(e.EventTime));
        if (e.Detail is StageUpdateDetail { ErrorCode: { } errorCode })
        {
            item["errorCode"] = ProjectionItems.S(errorCode);
        }

        // The same event delivered again finds its log entry already there.
        await ProjectionItems.PutOnceAsync(dynamo, options.TableName, item, cancellationToken);
    }
}
