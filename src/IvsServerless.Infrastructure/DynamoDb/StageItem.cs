using System.Globalization;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Stages;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>A <see cref="Stage"/> as a DynamoDB item, index keys included (see README.md).</summary>
internal static class StageItem
{
    public static Dictionary<string, AttributeValue> From(Stage stage)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [TableLayout.PartitionKey] = S(TableLayout.StagePartition(stage.StageId)),
            [TableLayout.SortKey] = S(TableLayout.StageSortKey),
            ["stageId"] = S(stage.StageId),
            ["stageArn"] = S(stage.StageArn),
            ["name"] = S(stage.Name),
            ["ownerId"] = S(stage.OwnerId),
            ["visibility"] = S(stage.Visibility == StageVisibility.Public ? "public" : "private"),
            ["createdAt"] = S(SortableTime(stage.CreatedAt)),
            ["deleted"] = new AttributeValue { BOOL = stage.Deleted },
            ["version"] = new AttributeValue { N = stage.Version.ToString(CultureInfo.InvariantCulture) },
        };

        // DynamoDB rejects empty sets: an absent attribute means "none".
        if (stage.CoHostIds.Count > 0)
        {
            item["coHostIds"] = new AttributeValue { SS = [.. stage.CoHostIds] };
        }

        if (stage.InvitedUserIds.Count > 0)
        {
            item["invitedUserIds"] = new AttributeValue { SS = [.. stage.InvitedUserIds] };
        }

        if (stage.BannedUserIds.Count > 0)
        {
            item["bannedUserIds"] = new AttributeValue { SS = [.. stage.BannedUserIds] };
        }

        if (stage.ActiveSessionId is not null)
        {
            item["activeSessionId"] = S(stage.ActiveSessionId);
        }

        if (stage.ActiveSessionObservedAt is { } observedAt)
        {
            item["activeSessionObservedAt"] = S(SortableTime(observedAt));
        }

        if (stage.Endpoints is { } endpoints)
        {
            item["eventsEndpoint"] = S(endpoints.Events);
            item["whipEndpoint"] = S(endpoints.Whip);
        }

        if (stage.Recording is { } recording)
        {
            item["recording"] = new AttributeValue
            {
                M = new Dictionary<string, AttributeValue>
                {
                    ["mediaType"] = S(recording.MediaType),
                    ["thumbnailRecordingMode"] = S(recording.ThumbnailRecordingMode),
                    ["thumbnailTargetIntervalSeconds"] = N(recording.ThumbnailTargetIntervalSeconds),
                    ["thumbnailStorage"] = new AttributeValue { L = [.. recording.ThumbnailStorage.Select(S)] },
                    ["recordingReconnectWindowSeconds"] = N(recording.RecordingReconnectWindowSeconds),
                    ["hlsTargetSegmentDurationSeconds"] = N(recording.HlsTargetSegmentDurationSeconds),
                },
            };
        }

        // Index entries exist only while the stage belongs in that listing; a deleted stage leaves both.
        var listed = $"{SortableTime(stage.CreatedAt)}#{stage.StageId}";
        if (!stage.Deleted)
        {
            item[TableLayout.OwnerIndexPartitionKey] = S(TableLayout.OwnerPartition(stage.OwnerId));
            item[TableLayout.OwnerIndexSortKey] = S(listed);
        }

        if (!stage.Deleted && stage.Visibility == StageVisibility.Public && stage.ActiveSessionId is not null)
        {
            item[TableLayout.LiveIndexPartitionKey] = S(TableLayout.LivePartition);
            item[TableLayout.LiveIndexSortKey] = S(listed);
        }

        return item;
    }

    public static Stage To(Dictionary<string, AttributeValue> item) => new(
        item["stageId"].S,
        item["stageArn"].S,
        item["name"].S,
        item["ownerId"].S,
        item["visibility"].S == "public" ? StageVisibility.Public : StageVisibility.Private,
        Set(item, "coHostIds"),
        Set(item, "invitedUserIds"),
        DateTimeOffset.Parse(item["createdAt"].S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        item["deleted"].BOOL ?? false,
        item.TryGetValue("activeSessionId", out var session) ? session.S : null,
        long.Parse(item["version"].N, CultureInfo.InvariantCulture),
        item.TryGetValue("activeSessionObservedAt", out var observedAt)
            ? DateTimeOffset.Parse(observedAt.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null,
        item.TryGetValue("eventsEndpoint", out var events) && item.TryGetValue("whipEndpoint", out var whip)
            ? new StageEndpoints(events.S, whip.S)
            : null,
        item.TryGetValue("recording", out var recording) && recording.M is { } r ? RecordingOf(r) : null)
    {
        BannedUserIds = Set(item, "bannedUserIds"),
    };

    private static StageRecording RecordingOf(Dictionary<string, AttributeValue> r) => new()
    {
        MediaType = r["mediaType"].S,
        ThumbnailRecordingMode = r["thumbnailRecordingMode"].S,
        ThumbnailTargetIntervalSeconds = int.Parse(r["thumbnailTargetIntervalSeconds"].N, CultureInfo.InvariantCulture),
        ThumbnailStorage = [.. r["thumbnailStorage"].L.Select(v => v.S)],
        RecordingReconnectWindowSeconds = int.Parse(r["recordingReconnectWindowSeconds"].N, CultureInfo.InvariantCulture),
        HlsTargetSegmentDurationSeconds = int.Parse(r["hlsTargetSegmentDurationSeconds"].N, CultureInfo.InvariantCulture),
    };

    /// <summary>Fixed-width UTC, so string order is time order in the index sort keys.</summary>
    public static string SortableTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static HashSet<string> Set(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.SS is { } values ? [.. values] : [];

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(int value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
