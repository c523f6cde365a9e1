using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using IvsServerless.Core.Events;

namespace IvsServerless.Core.Tests.Projection;

/// <summary>What an event says, without its time and id: those are chosen by each property.</summary>
public sealed record EventTemplate(string DetailType, string ResourceArn, JsonObject Detail, bool WithEventTime, int EnvelopeDelaySeconds)
{
    public override string ToString() => $"{DetailType} {Detail["event_name"]} {ResourceArn.Split('/')[^1]} {Detail.ToJsonString()}";
}

/// <summary>
/// Valid IVS events over a small universe of stages, sessions, participants and compositions, so that generated
/// events collide on the same items and field groups often — that is where ordering bugs live.
/// </summary>
public static class EventGenerators
{
    public static readonly DateTimeOffset BaseTime = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Stages = [
        "arn:aws:ivs:us-east-1:123456789012:stage/stageAAAAAAA", "arn:aws:ivs:us-east-1:123456789012:stage/stageBBBBBBB"];
    private static readonly string[] Compositions = [
        "arn:aws:ivs:us-east-1:123456789012:composition/compAAAAAAAA", "arn:aws:ivs:us-east-1:123456789012:composition/compBBBBBBBB"];
    private static readonly string[] Sessions = ["st-AAAAAAAAAAAAA", "st-BBBBBBBBBBBBB"];
    private static readonly string[] Participants = ["pAAAAAAAAAAA", "pBBBBBBBBBBB", "pCCCCCCCCCCC"];

    private static readonly Gen<EventTemplate> StageUpdate =
        from stage in Gen.Elements(Stages)
        from session in Gen.Elements(Sessions)
        from participant in Gen.Elements(Participants)
        from user in Gen.Elements("", "alice", "bob")
        from name in Gen.Elements("Participant Published", "Participant Unpublished", "Participant Publish Error",
            "Participant Replication Started", "Participant Replication Ended", "Token Exchanged", "Participant Subscribed")
        from errorCode in Gen.Elements("BITRATE_EXCEEDED", "QUOTA_EXCEEDED", "RESOLUTION_EXCEEDED")
        from replica in Gen.Elements(true, false)
        from withEventTime in Gen.Elements(true, true, false)
        from delay in Gen.Choose(0, 3)
        select new EventTemplate(
            IvsDetailTypes.StageUpdate, stage, StageDetail(session, participant, user, name, errorCode, replica, stage), withEventTime,
            delay);

    private static readonly Gen<EventTemplate> Recording =
        from stage in Gen.Elements(Stages)
        from session in Gen.Elements(Sessions)
        from participant in Gen.Elements(Participants)
        from name in Gen.Elements(
            "Recording Start", "Recording End", "Recording Start Failure", "Recording End Failure", "Recording Paused")
        from location in Gen.Elements(("ivs-recordings", "s/1"), ("ivs-recordings", "s/2"), ("other-bucket", "s/3"), ("", ""))
        from delay in Gen.Choose(0, 3)
        select new EventTemplate(IvsDetailTypes.ParticipantRecordingStateChange, stage, new JsonObject
        {
            ["session_id"] = session,
            ["event_name"] = name,
            ["participant_id"] = participant,
            ["recording_s3_bucket_name"] = location.Item1,
            ["recording_s3_key_prefix"] = location.Item2,
        }, false, delay);

    private static readonly Gen<EventTemplate> Composition =
        from composition in Gen.Elements(Compositions)
        from stage in Gen.Elements(Stages)
        from name in Gen.Elements("Session Start", "Session End", "Session Failure", "Destination Start", "Destination End",
            "Destination Failure", "Destination Reconnecting", "Session Paused")
        from destination in Gen.Elements<string?>("dAAAAAAAAAAA", "dBBBBBBBBBBB", null)
        from reason in Gen.Elements<string?>("Stage resource unavailable", "Channel unavailable", null)
        from delay in Gen.Choose(0, 3)
        select new EventTemplate(
            IvsDetailTypes.CompositionStateChange, composition, CompositionDetail(name, stage, destination, reason), false, delay);

    public static Gen<EventTemplate> Template { get; } = Gen.OneOf(StageUpdate, StageUpdate, Recording, Composition);

    /// <summary>
    /// Up to 30 events. <paramref name="distinctTimes"/>: every event its own second; otherwise times from a 3-second
    /// window, so most events tie and only the tiebreak orders them.
    /// </summary>
    public static Gen<ParsedIvsEvent[]> Events(bool distinctTimes) =>
        from count in Gen.Choose(1, 30)
        from templates in Gen.ArrayOf(Template, count)
        from seconds in distinctTimes ? Gen.Shuffle(Enumerable.Range(0, count)) : Gen.ArrayOf(Gen.Choose(0, 2), count)
        from salt in Gen.Choose(0, int.MaxValue)
        select templates.Select(
            (t, i) => Build(t, seconds[i], string.Create(CultureInfo.InvariantCulture, $"{salt ^ (i * 7919):x8}-{i:D4}"))).ToArray();

    /// <summary>The events as delivered: shuffled, some delivered twice or three times.</summary>
    public static Gen<ParsedIvsEvent[]> Delivery(ParsedIvsEvent[] events) =>
        from once in Gen.SubListOf(events)
        from twice in Gen.SubListOf(events)
        from shuffled in Gen.Shuffle(events.Concat(once).Concat(twice))
        select shuffled;

    public static ParsedIvsEvent Build(EventTemplate template, int seconds, string id)
    {
        var eventTime = BaseTime.AddSeconds(seconds);
        var detail = (JsonObject)template.Detail.DeepClone();
        if (template.WithEventTime)
        {
            detail["event_time"] = Time(eventTime);
        }

        var envelope = new JsonObject
        {
            ["version"] = "0",
            ["id"] = id,
            ["detail-type"] = template.DetailType,
            ["source"] = "aws.ivs",
            ["account"] = "123456789012",
            // With event_time, the envelope time may lag it; without, the envelope time is the event time.
            ["time"] = Time(template.WithEventTime ? eventTime.AddSeconds(template.EnvelopeDelaySeconds) : eventTime),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(template.ResourceArn),
            ["detail"] = detail,
        };
        return IvsEventParser.TryParse(Encoding.UTF8.GetBytes(envelope.ToJsonString()), out var parsed, out var reason)
            ? parsed
            : throw new InvalidOperationException($"Generated an invalid event ({reason}): {envelope.ToJsonString()}");
    }

    private static JsonObject StageDetail(
        string session, string participant, string user, string name, string errorCode, bool replica, string stage)
    {
        var detail = new JsonObject
        {
            ["session_id"] = session,
            ["event_name"] = name,
            ["user_id"] = user,
            ["participant_id"] = participant
        };
        if (name == "Participant Publish Error")
        {
            detail["error_code"] = errorCode;
        }

        if (name.StartsWith("Participant Replication", StringComparison.Ordinal))
        {
            var other = Stages.First(s => s != stage);
            detail["source_stage_arn"] = replica ? other : stage;
            detail["destination_stage_arn"] = replica ? stage : other;
            detail["replica"] = replica;
        }

        return detail;
    }

    private static JsonObject CompositionDetail(string name, string stage, string? destination, string? reason)
    {
        var detail = new JsonObject { ["event_name"] = name, ["stage_arn"] = stage };
        if (destination is not null && name.StartsWith("Destination", StringComparison.Ordinal))
        {
            detail["destination_id"] = destination;
        }

        if (reason is not null && name.EndsWith("Failure", StringComparison.Ordinal))
        {
            detail["reason"] = reason;
        }

        return detail;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
