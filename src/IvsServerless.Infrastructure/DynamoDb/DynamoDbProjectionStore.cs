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
    /// <summary>BatchWriteItem's limit.</summary>
    private const int MaxBatchWriteItems = 25;

    /// <summary>Item writes of one batch in flight at once (one invocation's share of the table).</summary>
    public const int MaxWritesInFlight = 16;

    /// <summary>Attempts at a log chunk's unprocessed entries (with a growing pause) before their events are failed.</summary>
    private const int LogWriteAttempts = 4;

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
                            returnBefore: false, cancellationToken),
                    _writer.WriteAsync(ProjectionItems.Key(key.StageId, TableLayout.SessionSortKey(key.SessionId)),
                        ProjectionItems.SessionConstants(session.Key), ProjectionItems.SessionGroups(session), requireItem: false,
                            returnBefore: false, cancellationToken),
                    AppendToLogAsync(ivsEvent, key, cancellationToken));
                return;

            case CompositionStateDetail detail:
                var composition = Projector.ApplyToComposition(null, ivsEvent);
                var groups = ProjectionItems.CompositionGroups(composition);
                if (detail.DestinationId is { Length: > 0 }
                    && Projector.Apply(ProjectionState.Empty, ivsEvent).Destinations.Values.FirstOrDefault() is { } destination)
                {
                    groups.AddRange(ProjectionItems.DestinationGroups(destination));
                }

                // A composition this backend did not start (or has not stored yet) has no item: nothing to update.
                await _writer.WriteAsync(
                    ProjectionItems.Key(
                        IvsEventParser.ResourceId(detail.StageArn!), TableLayout.CompositionSortKey(
                        IvsEventParser.ResourceId(ivsEvent.ResourceArn))),
                    [], groups, requireItem: true, returnBefore: false, cancellationToken);
                return;
        }
    }

    /// <summary>
    /// The batched write path: each participant, session and composition item the batch touches gets one guarded
    /// write of its folded groups (<see cref="ProjectionBatch"/>), and the event-log entries go in
    /// <c>BatchWriteItem</c>s of 25. A failed item write fails exactly the events folded into it; log entries still
    /// unprocessed after <see cref="LogWriteAttempts"/> attempts fail theirs. A participant write returns what the item
    /// held before when the batch has publishing events for it, so a publishing value contested within one second
    /// (<see cref="PublishingTie"/>) is seen at no cost; other writes ask for nothing back (less for the engine to answer).
    /// </summary>
    public async Task<ProjectionBatchResult> ApplyBatchAsync(IReadOnlyList<ParsedIvsEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var batch = ProjectionBatch.Of(events);
        var failed = new HashSet<int>();
        var contested = new List<ParticipantKey>();
        var work = new List<(Func<CancellationToken, Task<IReadOnlyCollection<int>>> Write, IReadOnlyList<int> Events)>();
        foreach (var (participant, indices) in batch.Participants)
        {
            var key = participant.Key;
            var claims = indices.Select(i => PublishingTie.Claim(events[i])).OfType<Stamped<bool>>().ToList();
            work.Add((async ct =>
            {
                var before = await _writer.WriteAsync(
                    ProjectionItems.Key(key.StageId, TableLayout.ParticipantSortKey(key.SessionId, key.ParticipantId)),
                    ProjectionItems.ParticipantConstants(key), ProjectionItems.ParticipantGroups(participant), requireItem: false,
                    returnBefore: claims.Count > 0, ct);
                var stored = ProjectionItems.ReadPublishing(before);
                if (claims.Count > 0 && PublishingTie.IsContested(stored is null ? claims : [stored, .. claims]))
                {
                    lock (contested)
                    {
                        contested.Add(key);
                    }
                }

                return [];
            }, indices));
        }

        foreach (var (session, indices) in batch.Sessions)
        {
            work.Add((async ct =>
            {
                await _writer.WriteAsync(ProjectionItems.Key(session.Key.StageId, TableLayout.SessionSortKey(session.Key.SessionId)),
                    ProjectionItems.SessionConstants(session.Key), ProjectionItems.SessionGroups(session), requireItem: false,
                    returnBefore: false, ct);
                return [];
            }, indices));
        }

        foreach (var (item, indices) in batch.Compositions)
        {
            var groups = ProjectionItems.CompositionGroups(item.Composition);
            groups.AddRange(item.Destinations.SelectMany(ProjectionItems.DestinationGroups));
            work.Add((async ct =>
            {
                // A composition this backend did not start (or has not stored yet) has no item: nothing to update.
                await _writer.WriteAsync(ProjectionItems.Key(item.StageId, TableLayout.CompositionSortKey(
                    IvsEventParser.ResourceId(item.Composition.CompositionArn))), [], groups, requireItem: true, returnBefore: false, ct);
                return [];
            }, indices));
        }

        // One entry per stamp (a duplicate delivery in the same batch shares its entry); BatchWriteItem refuses repeated keys.
        var entries = new Dictionary<string, (Dictionary<string, AttributeValue> Item, List<int> Events)>(StringComparer.Ordinal);
        foreach (var i in batch.Logged)
        {
            var item = LogItem(events[i], Projector.ParticipantKeyOf(events[i]));
            var id = item[TableLayout.PartitionKey].S + "\n" + item[TableLayout.SortKey].S;
            if (!entries.TryGetValue(id, out var entry))
            {
                entries[id] = entry = (item, []);
            }

            entry.Events.Add(i);
        }

        foreach (var chunk in entries.Values.Chunk(MaxBatchWriteItems))
        {
            work.Add((ct => WriteLogEntriesAsync(chunk, ct), [.. chunk.SelectMany(c => c.Events)]));
        }

        await Parallel.ForEachAsync(
            work, new ParallelOptions { MaxDegreeOfParallelism = MaxWritesInFlight, CancellationToken = cancellationToken },
            async (unit, ct) =>
            {
                IReadOnlyCollection<int> unitFailed;
                try
                {
                    unitFailed = await unit.Write(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Throttling, a 5xx, a timeout: this item's events are retried, the batch's others stand.
                    unitFailed = unit.Events as IReadOnlyCollection<int> ?? [.. unit.Events];
                }

                lock (failed)
                {
                    failed.UnionWith(unitFailed);
                }
            });
        return new ProjectionBatchResult(failed, contested);
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
                ProjectionItems.ParticipantConstants(key), participantGroups, requireItem: false, returnBefore: false, cancellationToken),
            _writer.WriteAsync(ProjectionItems.Key(key.StageId, TableLayout.SessionSortKey(key.SessionId)),
                ProjectionItems.SessionConstants(sessionKey), sessionGroups, requireItem: false, returnBefore: false, cancellationToken));
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

    /// <summary>
    /// Puts log entries with <c>BatchWriteItem</c> (no condition there; an entry is a function of its key, so putting
    /// one again is the put-once of <see cref="AppendToLogAsync"/> by other means). Entries DynamoDB leaves unprocessed
    /// (throttling) are sent again; those still unprocessed at the end are returned as failed events.
    /// </summary>
    private async Task<IReadOnlyCollection<int>> WriteLogEntriesAsync(
        IReadOnlyList<(Dictionary<string, AttributeValue> Item, List<int> Events)> entries, CancellationToken cancellationToken)
    {
        var pending = entries.ToList();
        for (var attempt = 1; ; attempt++)
        {
            var response = await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new Dictionary<string, List<WriteRequest>>
                {
                    [options.TableName] = [.. pending.Select(e => new WriteRequest { PutRequest = new PutRequest { Item = e.Item } })],
                },
            }, cancellationToken);
            var unprocessed = response.UnprocessedItems?.GetValueOrDefault(options.TableName) ?? [];
            if (unprocessed.Count == 0)
            {
                return [];
            }

            var left = unprocessed.Select(
                u => u.PutRequest.Item[TableLayout.SortKey].S + "\n" + u.PutRequest.Item[TableLayout.PartitionKey].S)
                .ToHashSet(StringComparer.Ordinal);
            pending = [.. pending.Where(e => left.Contains(e.Item[TableLayout.SortKey].S + "\n" + e.Item[TableLayout.PartitionKey].S))];
            if (attempt >= LogWriteAttempts)
            {
                return [.. pending.SelectMany(e => e.Events)];
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25 << attempt), cancellationToken);
        }
    }

    private async Task AppendToLogAsync(ParsedIvsEvent e, ParticipantKey key, CancellationToken cancellationToken) =>
        // The same event delivered again finds its log entry already there.
        await ProjectionItems.PutOnceAsync(dynamo, options.TableName, LogItem(e, key), cancellationToken);

    /// <summary>
    /// A session's event-log entry: keyed by the event's stamp (which holds the event id) and made only of that event's
    /// fields, so the entry is a function of its key and a second put of it writes the same bytes.
    /// </summary>
    private static Dictionary<string, AttributeValue> LogItem(ParsedIvsEvent e, ParticipantKey key)
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

        return item;
    }
}
