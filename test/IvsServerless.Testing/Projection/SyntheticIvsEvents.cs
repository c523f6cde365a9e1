using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IvsServerless.Core.Events;

namespace IvsServerless.Testing.Projection;

/// <summary>One generated event: the bytes EventBridge would deliver, and what the parser makes of them.</summary>
public sealed record SyntheticEvent(byte[] Json, ParsedIvsEvent Parsed);

/// <summary>The stages and compositions the events refer to (a store needs them to exist), and the events in time order.</summary>
public sealed record SyntheticWorkload(
    IReadOnlyList<string> StageIds, IReadOnlyList<(string StageId, string CompositionArn)> Compositions,
    IReadOnlyList<SyntheticEvent> Events);

/// <summary>
/// A seeded, realistic mix of IVS events over many stages, sessions and participants: publish / unpublish cycles with
/// occasional publish errors, recordings with start/end and failures, token exchanges, replication, unknown event names,
/// and compositions with destinations. Times are to the second like IVS's, so many events tie and the stamp's
/// tiebreaks matter. Same seed, same events.
/// </summary>
public static class SyntheticIvsEvents
{
    public const string Account = "123456789012";
    public static readonly DateTimeOffset BaseTime = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string StageArn(string stageId) => $"arn:aws:ivs:us-east-1:{Account}:stage/{stageId}";

    public static string CompositionArn(string compositionId) => $"arn:aws:ivs:us-east-1:{Account}:composition/{compositionId}";

    public static SyntheticWorkload Generate(int seed, int eventCount, int stageCount)
    {
        var random = new Random(seed);
        var stages = Enumerable.Range(0, stageCount).Select(_ => Id(random, 12)).ToList();
        var compositions = new List<(string, string)>();
        var events = new List<SyntheticEvent>();
        while (events.Count < eventCount)
        {
            var stageId = stages[random.Next(stages.Count)];
            var sessionId = "st-" + Id(random, 13);
            var t = BaseTime.AddSeconds(random.Next(0, 86_400));
            var participants = random.Next(1, 6);
            for (var p = 0; p < participants && events.Count < eventCount; p++)
            {
                var participantId = Id(random, 12);
                var userId = random.Next(10) == 0 ? "" : "user-" + random.Next(50).ToString(CultureInfo.InvariantCulture);
                var time = t.AddSeconds(random.Next(0, 5));
                events.Add(Stage(random, stageId, sessionId, participantId, userId, "Token Exchanged", time));
                for (var cycle = random.Next(1, 4); cycle > 0; cycle--)
                {
                    time = time.AddSeconds(random.Next(0, 3));
                    events.Add(Stage(random, stageId, sessionId, participantId, userId, "Participant Published", time));
                    if (random.Next(4) == 0)
                    {
                        events.Add(Recording(random, stageId, sessionId, participantId, "Recording Start", time, withLocation: true));
                    }

                    if (random.Next(8) == 0)
                    {
                        events.Add(
                            Stage(
                            random, stageId, sessionId, participantId, userId, "Participant Publish Error", time.AddSeconds(
                            random.Next(0, 2)),
                            errorCode: random.Next(2) == 0 ? "BITRATE_EXCEEDED" : "RESOLUTION_EXCEEDED"));
                    }

                    if (random.Next(12) == 0)
                    {
                        var other = stages[random.Next(stages.Count)];
                        events.Add(
                            Stage(
                            random, stageId, sessionId, participantId, userId, "Participant Replication Started", time,
                            replicateTo: other));
                        events.Add(
                            Stage(
                            random, stageId, sessionId, participantId, userId, "Participant Replication Ended", time.AddSeconds(
                            random.Next(0, 30)), replicateTo: other));
                    }

                    if (random.Next(20) == 0)
                    {
                        events.Add(Stage(random, stageId, sessionId, participantId, userId, "Participant Subscribe State Changed", time));
                    }

                    time = time.AddSeconds(random.Next(0, 120));
                    events.Add(Stage(random, stageId, sessionId, participantId, userId, "Participant Unpublished", time));
                    var recordingEnd = random.Next(10) switch
                    {
                        0 => "Recording End Failure",
                        1 => "Recording Start Failure",
                        _ => "Recording End"
                    };
                    if (random.Next(4) == 0)
                    {
                        events.Add(
                            Recording(
                            random, stageId, sessionId, participantId, recordingEnd, time, withLocation: recordingEnd == "Recording End"));
                    }
                }
            }

            if (random.Next(5) == 0 && events.Count < eventCount)
            {
                var compositionArn = CompositionArn(Id(random, 12));
                compositions.Add((stageId, compositionArn));
                var time = t.AddSeconds(random.Next(0, 10));
                events.Add(Composition(random, compositionArn, stageId, "Session Start", time));
                var destinations = Enumerable.Range(0, random.Next(1, 3)).Select(_ => Id(random, 12)).ToList();
                foreach (var destination in destinations)
                {
                    events.Add(Composition(random, compositionArn, stageId, "Destination Start", time, destination));
                    if (random.Next(6) == 0)
                    {
                        events.Add(
                            Composition(
                            random, compositionArn, stageId, "Destination Reconnecting", time.AddSeconds(5), destination, "network"));
                    }
                }

                time = time.AddSeconds(random.Next(1, 300));
                foreach (var destination in destinations)
                {
                    events.Add(random.Next(8) == 0
                        ? Composition(random, compositionArn, stageId, "Destination Failure", time, destination, "Channel unavailable")
                        : Composition(random, compositionArn, stageId, "Destination End", time, destination));
                }

                events.Add(random.Next(8) == 0
                    ? Composition(random, compositionArn, stageId, "Session Failure", time, reason: "Stage resource unavailable")
                    : Composition(random, compositionArn, stageId, "Session End", time));
            }
        }

        return new SyntheticWorkload(stages, compositions, [.. events.Take(eventCount).OrderBy(e => e.Parsed.EventTime)]);
    }

    /// <summary>As EventBridge might deliver them: shuffled, with <paramref name="duplicateFraction"/> of them delivered twice.</summary>
    public static IReadOnlyList<SyntheticEvent> Delivery(IReadOnlyList<SyntheticEvent> events, int seed, double duplicateFraction)
    {
        var random = new Random(seed);
        var delivered = events.Concat(events.Where(_ => random.NextDouble() < duplicateFraction)).ToArray();
        random.Shuffle(delivered);
        return delivered;
    }

    /// <summary>
    /// As an SQS queue fed by EventBridge hands them out: in arrival (time) order, but each event displaced by up to
    /// <paramref name="window"/> positions, and <paramref name="duplicateFraction"/> of them delivered again later
    /// (up to ten windows after the first copy), as at-least-once delivery and retries do.
    /// </summary>
    public static IReadOnlyList<SyntheticEvent> QueueDelivery(
        IReadOnlyList<SyntheticEvent> events, int seed, double duplicateFraction, int window = 200)
    {
        ArgumentNullException.ThrowIfNull(events);
        var random = new Random(seed);
        var keyed = new List<(double Key, SyntheticEvent Event)>();
        for (var i = 0; i < events.Count; i++)
        {
            keyed.Add((i + (random.NextDouble() * window), events[i]));
            if (random.NextDouble() < duplicateFraction)
            {
                keyed.Add((i + window + (random.NextDouble() * 10 * window), events[i]));
            }
        }

        return [.. keyed.OrderBy(k => k.Key).Select(k => k.Event)];
    }

    private static SyntheticEvent Stage(
        Random random, string stageId, string sessionId, string participantId, string userId, string name, DateTimeOffset time,
        string? errorCode = null, string? replicateTo = null)
    {
        var detail = new JsonObject
        {
            ["session_id"] = sessionId,
            ["event_name"] = name,
            ["event_time"] = Time(time),
            ["user_id"] = userId,
            ["participant_id"] = participantId,
        };
        if (errorCode is not null)
        {
            detail["error_code"] = errorCode;
        }

        if (replicateTo is not null)
        {
            detail["source_stage_arn"] = StageArn(stageId);
            detail["destination_stage_arn"] = StageArn(replicateTo);
            detail["replica"] = false;
        }

        // EventBridge stamps the envelope when it receives the event: at or after event_time.
        return Build(random, IvsDetailTypes.StageUpdate, StageArn(stageId), time.AddSeconds(random.Next(0, 2)), detail);
    }

    private static SyntheticEvent Recording(
        Random random, string stageId, string sessionId, string participantId, string name, DateTimeOffset time, bool withLocation) =>
        Build(random, IvsDetailTypes.ParticipantRecordingStateChange, StageArn(stageId), time, new JsonObject
        {
            ["session_id"] = sessionId,
            ["event_name"] = name,
            ["participant_id"] = participantId,
            ["recording_s3_bucket_name"] = withLocation ? "ivs-recordings" : "",
            ["recording_s3_key_prefix"] = withLocation ? $"{stageId}/{sessionId}/{participantId}" : "",
        });

    private static SyntheticEvent Composition(Random random, string compositionArn, string stageId, string name, DateTimeOffset time,
        string? destinationId = null, string? reason = null)
    {
        var detail = new JsonObject { ["event_name"] = name, ["stage_arn"] = StageArn(stageId) };
        if (destinationId is not null)
        {
            detail["destination_id"] = destinationId;
        }

        if (reason is not null)
        {
            detail["reason"] = reason;
        }

        return Build(random, IvsDetailTypes.CompositionStateChange, compositionArn, time, detail);
    }

    private static SyntheticEvent Build(Random random, string detailType, string resource, DateTimeOffset time, JsonObject detail)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        var envelope = new JsonObject
        {
            ["version"] = "0",
            ["id"] = new Guid(bytes).ToString(),
            ["detail-type"] = detailType,
            ["source"] = "aws.ivs",
            ["account"] = Account,
            ["time"] = Time(time),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(resource),
            ["detail"] = detail,
        };
        var json = Encoding.UTF8.GetBytes(envelope.ToJsonString());
        return IvsEventParser.TryParse(json, out var parsed, out var reason)
            ? new SyntheticEvent(json, parsed)
            : throw new InvalidOperationException($"Generated an invalid event ({reason}): {envelope.ToJsonString()}");
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Id(Random random, int length) => string.Create(length, random, (chars, r) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphanumerics[r.Next(Alphanumerics.Length)];
        }
    });
}
