using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Projection;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// The projection records as DynamoDB items and field groups (README.md beside this file lists the attributes).
/// A record built from one event by <see cref="Projector"/> (starting from nothing) holds exactly the groups that
/// event sets, so writing its groups under their guards is <see cref="Projector.Apply"/> as conditional writes.
/// </summary>
internal static class ProjectionItems
{
    public const string ItemType = "itemType";
    public const string ParticipantType = "participant";
    public const string SessionType = "session";
    public const string EventType = "event";
    public const string DestinationPrefix = "destination#";

    public const string FirstSeen = "firstSeen";
    public const string LastSeen = "lastSeen";
    public const string FirstActivity = "firstActivity";
    public const string LastActivity = "lastActivity";
    public const string Connected = "connected";
    public const string PresenceStamp = "presenceStamp";
    public const string UserId = "userId";

    /// <summary>Writes an item that never changes once written: a second write of the same key keeps the first.</summary>
    public static async Task PutOnceAsync(
        IAmazonDynamoDB dynamo, string tableName, Dictionary<string, AttributeValue> item, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = item,
                ConditionExpression = "attribute_not_exists(PK)",
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Already written (a redelivery): nothing to do.
        }
    }

    public static Dictionary<string, AttributeValue> Key(string stageId, string sortKey) => new()
    {
        [TableLayout.PartitionKey] = S(TableLayout.StagePartition(stageId)),
        [TableLayout.SortKey] = S(sortKey),
    };

    public static KeyValuePair<string, AttributeValue>[] ParticipantConstants(ParticipantKey key) =>
    [
        new(ItemType, S(ParticipantType)), new("stageId", S(key.StageId)), new("sessionId", S(key.SessionId)), new(
            "participantId", S(key.ParticipantId)),
    ];

    public static KeyValuePair<string, AttributeValue>[] SessionConstants(SessionKey key) =>
    [
        new(ItemType, S(SessionType)), new("stageId", S(key.StageId)), new("sessionId", S(key.SessionId)),
        new(TableLayout.OwnerIndexPartitionKey, S(TableLayout.StageSessionsPartition(key.StageId))),
    ];

    public static List<FieldGroup> ParticipantGroups(ParticipantProjection p)
    {
        var groups = new List<FieldGroup> { FieldGroup.Min(FirstSeen, Time(p.FirstSeen)), FieldGroup.Max(LastSeen, Time(p.LastSeen)) };
        if (p.UserId is { } user)
        {
            groups.Add(FieldGroup.Stamped(UserId, user.Stamp.ToSortKey(), (UserId, S(user.Value))));
        }

        if (p.Publishing is { } publishing)
        {
            groups.Add(FieldGroup.Stamped("publishing", publishing.Stamp.ToSortKey(), ("publishing", Bool(publishing.Value))));
        }

        if (p.LastPublishError is { } error)
        {
            groups.Add(FieldGroup.Stamped("lastPublishError", error.Stamp.ToSortKey(), ("lastPublishError", S(error.Value))));
        }

        if (p.Replication is { } replication)
        {
            var r = replication.Value;
            var sets = new List<KeyValuePair<string, AttributeValue>> {
                new("replicationActive", Bool(r.Active)), new("replicationReplica", Bool(r.Replica)) };
            var removes = new List<string>();
            Optional(sets, removes, "replicationSourceStageArn", r.SourceStageArn);
            Optional(sets, removes, "replicationDestinationStageArn", r.DestinationStageArn);
            var stamp = replication.Stamp.ToSortKey();
            sets.Add(new("replicationStamp", S(stamp)));
            groups.Add(new FieldGroup("replicationStamp", GuardKind.StoredLess, stamp, sets, removes));
        }

        if (p.Recording is { } recording)
        {
            groups.Add(FieldGroup.Stamped("recording", recording.Stamp.ToSortKey(), ("recording", S(Name(recording.Value)))));
        }

        if (p.RecordingLocation is { } location)
        {
            groups.Add(FieldGroup.Stamped("recordingLocation", location.Stamp.ToSortKey(),
                new("recordingS3BucketName", S(location.Value.S3BucketName)), new("recordingS3KeyPrefix", S(location.Value.S3KeyPrefix))));
        }

        if (p.LastRecordingFailure is { } failure)
        {
            groups.Add(
                FieldGroup.Stamped("lastRecordingFailure", failure.Stamp.ToSortKey(), ("lastRecordingFailure", S(Name(failure.Value)))));
        }

        return groups;
    }

    public static List<FieldGroup> SessionGroups(SessionProjection s) =>
    [
        // The listing index sorts sessions by first activity, so its sort key moves with the min.
        FieldGroup.Min(
            FirstActivity, Time(s.FirstActivity), (TableLayout.OwnerIndexSortKey, S(SessionListingKey(s.FirstActivity, s.Key.SessionId)))),
        FieldGroup.Max(LastActivity, Time(s.LastActivity)),
    ];

    public static string SessionListingKey(DateTimeOffset firstActivity, string sessionId) => $"{Time(firstActivity)}#{sessionId}";

    /// <summary>Groups on the composition item the API stored; <c>state</c> (the API's lifecycle) is not one of them.</summary>
    public static List<FieldGroup> CompositionGroups(CompositionProjection c)
    {
        var groups = new List<FieldGroup>();
        if (c.StageArn is { } stageArn)
        {
            groups.Add(FieldGroup.Stamped("stageArn", stageArn.Stamp.ToSortKey(), ("stageArn", S(stageArn.Value))));
        }

        if (c.Status is { } status)
        {
            var sets = new List<KeyValuePair<string, AttributeValue>> { new("eventState", S(Name(status.Value.State))) };
            var removes = new List<string>();
            Optional(sets, removes, "failureReason", status.Value.FailureReason);
            var stamp = status.Stamp.ToSortKey();
            sets.Add(new("statusStamp", S(stamp)));
            groups.Add(new FieldGroup("statusStamp", GuardKind.StoredLess, stamp, sets, removes));
        }

        return groups;
    }

    /// <summary>
    /// A destination's groups live on its composition item, under attribute names carrying the destination id: its status
    /// (stamped) and its start (min) and end (max) times.
    /// </summary>
    public static IEnumerable<FieldGroup> DestinationGroups(DestinationProjection d)
    {
        var prefix = DestinationPrefix + d.Key.DestinationId + "#";
        if (d.Status is { } status)
        {
            var sets = new List<KeyValuePair<string, AttributeValue>> { new(prefix + "state", S(Name(status.Value.State))) };
            var removes = new List<string>();
            Optional(sets, removes, prefix + "reason", status.Value.FailureReason);
            var stamp = status.Stamp.ToSortKey();
            sets.Add(new(prefix + "stamp", S(stamp)));
            yield return new FieldGroup(prefix + "stamp", GuardKind.StoredLess, stamp, sets, removes);
        }

        if (d.StartedAt is { } started)
        {
            yield return FieldGroup.Min(prefix + "startedAt", Time(started));
        }

        if (d.EndedAt is { } ended)
        {
            yield return FieldGroup.Max(prefix + "endedAt", Time(ended));
        }
    }

    public static ParticipantProjection ReadParticipant(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var key = new ParticipantKey(item["stageId"].S, item["sessionId"].S, item["participantId"].S);
        return new ParticipantProjection(key, ParseTime(item[FirstSeen].S), ParseTime(item[LastSeen].S),
            UserId: item.TryGetValue(UserId, out var user)
                ? new Stamped<string>(user.S, Stamp(item, "userIdStamp") ?? EventStamp.Lowest)
                : null,
            Publishing: Read(item, "publishing", v => v.BOOL == true),
            LastPublishError: Read(item, "lastPublishError", v => v.S),
            Recording: Read(item, "recording", v => ParseRecording(v.S)),
            RecordingLocation: Stamp(item, "recordingLocationStamp") is { } locationStamp
                ? new Stamped<RecordingLocation>(
                    new RecordingLocation(item["recordingS3BucketName"].S, item["recordingS3KeyPrefix"].S), locationStamp)
                : null,
            LastRecordingFailure: Read(item, "lastRecordingFailure", v => ParseRecording(v.S)),
            Replication: Stamp(item, "replicationStamp") is { } replicationStamp
                ? new Stamped<ReplicationStatus>(
                    new ReplicationStatus(item["replicationActive"].BOOL == true, item["replicationReplica"].BOOL == true,
                    OptionalS(item, "replicationSourceStageArn"), OptionalS(item, "replicationDestinationStageArn")), replicationStamp)
                : null);
    }

    /// <summary>The publishing group of a participant item (or of what a write returned of it); null when none.</summary>
    public static Stamped<bool>? ReadPublishing(IReadOnlyDictionary<string, AttributeValue> item) =>
        item.ContainsKey("publishing") ? Read(item, "publishing", v => v.BOOL == true) : null;

    public static (bool Connected, DateTimeOffset ObservedAt)? ReadPresence(IReadOnlyDictionary<string, AttributeValue> item) =>
        item.TryGetValue(PresenceStamp, out var stamp) && item.TryGetValue(Connected, out var connected)
            ? (connected.BOOL == true, ParseTime(stamp.S))
            : null;

    public static SessionProjection ReadSession(IReadOnlyDictionary<string, AttributeValue> item) =>
        new(new SessionKey(item["stageId"].S, item["sessionId"].S), ParseTime(item[FirstActivity].S), ParseTime(item[LastActivity].S));

    /// <summary>The event projection of a composition item, or null when no event has reached it.</summary>
    public static CompositionProjection? ReadComposition(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var stageArn = Read(item, "stageArn", v => v.S);
        var status = Stamp(item, "statusStamp") is { } statusStamp
            ? new Stamped<CompositionStatus>(
                new CompositionStatus(ParseComposition(item["eventState"].S), OptionalS(item, "failureReason")), statusStamp)
            : null;
        return stageArn is null && status is null ? null : new CompositionProjection(item["compositionArn"].S, stageArn, status);
    }

    public static IEnumerable<DestinationProjection> ReadDestinations(IReadOnlyDictionary<string, AttributeValue> item)
    {
        foreach (var (name, value) in item)
        {
            if (name.StartsWith(DestinationPrefix, StringComparison.Ordinal) && name.EndsWith("#stamp", StringComparison.Ordinal)
                && EventStamp.TryParseSortKey(value.S, out var stamp))
            {
                var prefix = name[..^"stamp".Length];
                var id = prefix[DestinationPrefix.Length..^1];
                yield return new DestinationProjection(new DestinationKey(item["compositionArn"].S, id),
                    new Stamped<CompositionStatus>(
                        new CompositionStatus(ParseComposition(item[prefix + "state"].S), OptionalS(item, prefix + "reason")), stamp),
                    OptionalS(item, prefix + "startedAt") is { } started ? ParseTime(started) : null,
                    OptionalS(item, prefix + "endedAt") is { } ended ? ParseTime(ended) : null);
            }
        }
    }

    /// <summary>Fixed-width UTC with 7 fractional digits: string order is time order (same width as in stamps).</summary>
    public static string Time(DateTimeOffset time) => StageItem.SortableTime(time);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(
            text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Name(RecordingState state) => state switch
    {
        RecordingState.Active => "ACTIVE",
        RecordingState.Stopped => "STOPPED",
        RecordingState.StartFailed => "START_FAILED",
        _ => "END_FAILED",
    };

    public static string Name(CompositionState state) => state switch
    {
        CompositionState.Active => "ACTIVE",
        CompositionState.Reconnecting => "RECONNECTING",
        CompositionState.Stopped => "STOPPED",
        _ => "FAILED",
    };

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue Bool(bool value) => new() { BOOL = value };

    private static RecordingState ParseRecording(string text) => text switch
    {
        "ACTIVE" => RecordingState.Active,
        "STOPPED" => RecordingState.Stopped,
        "START_FAILED" => RecordingState.StartFailed,
        _ => RecordingState.EndFailed,
    };

    private static CompositionState ParseComposition(string text) => text switch
    {
        "ACTIVE" => CompositionState.Active,
        "RECONNECTING" => CompositionState.Reconnecting,
        "STOPPED" => CompositionState.Stopped,
        _ => CompositionState.Failed,
    };

    private static Stamped<T>? Read<T>(IReadOnlyDictionary<string, AttributeValue> item, string group, Func<AttributeValue, T> value) =>
        Stamp(item, group + "Stamp") is { } stamp && item.TryGetValue(group, out var stored) ? new Stamped<T>(value(stored), stamp) : null;

    private static EventStamp? Stamp(IReadOnlyDictionary<string, AttributeValue> item, string attribute) =>
        item.TryGetValue(attribute, out var value) && EventStamp.TryParseSortKey(value.S, out var stamp) ? stamp : null;

    private static string? OptionalS(IReadOnlyDictionary<string, AttributeValue> item, string attribute) =>
        item.TryGetValue(attribute, out var value) ? value.S : null;

    // DynamoDB has no null string in an update: a value that is now absent is removed.
    private static void Optional(List<KeyValuePair<string, AttributeValue>> sets, List<string> removes, string attribute, string? value)
    {
        if (value is null)
        {
            removes.Add(attribute);
        }
        else
        {
            sets.Add(new(attribute, S(value)));
        }
    }
}
