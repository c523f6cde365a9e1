using Amazon.DynamoDBv2.Model;
using IvsServerless.Infrastructure.Live;

namespace IvsServerless.Live.Tests;

/// <summary>Table items as the stores write them (Infrastructure/DynamoDb/README.md), for stream-record images.</summary>
internal static class Images
{
    public const string StageId = "AbCdEf123456";

    public static Dictionary<string, AttributeValue> Stage(
        string name = "demo", string visibility = "public", string? activeSession = null, string[]? coHosts = null,
        string[]? invited = null, bool deleted = false, long version = 1, string? endpoints = null)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["PK"] = S("STAGE#" + StageId),
            ["SK"] = S("STAGE"),
            ["stageId"] = S(StageId),
            ["stageArn"] = S("arn:aws:ivs:us-east-1:123456789012:stage/" + StageId),
            ["name"] = S(name),
            ["ownerId"] = S("owner"),
            ["visibility"] = S(visibility),
            ["createdAt"] = S("2026-12-03T10:00:00.0000000Z"),
            ["deleted"] = new() { BOOL = deleted },
            ["version"] = new() { N = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        if (coHosts is { Length: > 0 })
        {
            item["coHostIds"] = new() { SS = [.. coHosts] };
        }

        if (invited is { Length: > 0 })
        {
            item["invitedUserIds"] = new() { SS = [.. invited] };
        }

        if (activeSession is not null)
        {
            item["activeSessionId"] = S(activeSession);
            item["activeSessionObservedAt"] = S("2026-12-03T10:00:01.0000000Z");
        }

        if (endpoints is not null)
        {
            item["eventsEndpoint"] = S(endpoints);
            item["whipEndpoint"] = S(endpoints);
        }

        return item;
    }

    public static Dictionary<string, AttributeValue> Composition(string state, string? failureReason = null, string? eventState = null)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["PK"] = S("STAGE#" + StageId),
            ["SK"] = S("COMPOSITION#Comp12345678"),
            ["compositionArn"] = S("arn:aws:ivs:us-east-1:123456789012:composition/Comp12345678"),
            ["stageId"] = S(StageId),
            ["state"] = S(state),
        };
        if (failureReason is not null)
        {
            item["failureReason"] = S(failureReason);
        }

        if (eventState is not null)
        {
            item["eventState"] = S(eventState);
        }

        return item;
    }

    public static Dictionary<string, AttributeValue> Participant(
        bool? connected = null, bool? publishing = null, string? recording = null, string? userId = "alice", string lastSeen = "1")
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["PK"] = S("STAGE#" + StageId),
            ["SK"] = S("SESSION#st-1#PARTICIPANT#p-1"),
            ["itemType"] = S("participant"),
            ["stageId"] = S(StageId),
            ["sessionId"] = S("st-1"),
            ["participantId"] = S("p-1"),
            ["lastSeen"] = S(lastSeen),
        };
        if (userId is not null)
        {
            item["userId"] = S(userId);
        }

        if (connected is { } c)
        {
            item["connected"] = new() { BOOL = c };
        }

        if (publishing is { } p)
        {
            item["publishing"] = new() { BOOL = p };
        }

        if (recording is not null)
        {
            item["recording"] = S(recording);
        }

        return item;
    }

    public static Dictionary<string, AttributeValue> Kick(string? userId = null, string? sessionId = "st-1")
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["PK"] = S("STAGE#" + StageId),
            ["SK"] = S("KICK#p-1#2026-12-03T10:00:00.0000000Z"),
            ["participantId"] = S("p-1"),
            ["reason"] = S("spam"),
        };
        if (userId is not null)
        {
            item["userId"] = S(userId);
        }

        if (sessionId is not null)
        {
            item["sessionId"] = S(sessionId);
        }

        return item;
    }

    public static Dictionary<string, AttributeValue> Item(string pk, string sk) => new() { ["PK"] = S(pk), ["SK"] = S(sk) };

    public static TableChange Insert(Dictionary<string, AttributeValue> item) => new(ChangeKind.Insert, null, item);

    public static TableChange Modify(Dictionary<string, AttributeValue> before, Dictionary<string, AttributeValue> after) =>
        new(ChangeKind.Modify, before, after);

    public static TableChange Remove(Dictionary<string, AttributeValue> item) => new(ChangeKind.Remove, item, null);

    public static AttributeValue S(string value) => new() { S = value };
}
