using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IvsServerless.Core.Events;
using IvsServerless.Core.Ivs;

namespace IvsServerless.Core.Reconciliation;

/// <summary>
/// Turns what <c>ListParticipantEvents</c> says about a participant's publishing into the one
/// <c>Participant Published</c>/<c>Unpublished</c> event that carries its latest state, shaped exactly like the
/// EventBridge event IVS would have sent (it goes through <see cref="IvsEventParser"/>), so the projection applies real
/// and repaired events by the same stamp rule.
/// </summary>
/// <remarks>
/// Only the latest publish event matters: the projection's <c>publishing</c> group is set by the newest event alone.
/// Its time is the API's event time plus (1 + its position among API publish events with that exact time) ticks.
/// EventBridge times are whole seconds and the projection breaks equal-time ties by rank (Unpublished beats
/// Published), which is wrong for "stopped, then started again within the second"; the API knows the true order
/// (its times are finer, and equal times keep the list order), and the few ticks put the repaired event after every
/// real event of that instant, while any real event of a later second still wins. The event id is derived from
/// stage, session, participant, kind and time, so re-running a pass writes the same stamp again (a no-op).
/// </remarks>
public static class PublishStateEvents
{
    public const string PublishStarted = "Participant Published";
    public const string PublishStopped = "Participant Unpublished";

    /// <summary>Pages of <c>ListParticipantEvents</c> read at most: a participant with more events is judged by these.</summary>
    public const int MaxPages = 10;

    /// <summary>Asks IVS for the participant's events and returns the repair event of its latest publish state (null: none).</summary>
    public static async Task<ParsedIvsEvent?> LookUpAsync(IParticipantEventHistory ivs, string stageArn, string sessionId,
        string participantId, string? userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ivs);
        var events = new List<IvsParticipantEvent>();
        string? next = null;
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var page = await ivs.ListParticipantEventsAsync(stageArn, sessionId, participantId, next, cancellationToken);
            events.AddRange(page.Items);
            next = page.NextCursor;
            if (string.IsNullOrEmpty(next))
            {
                break;
            }
        }

        return Latest(stageArn, sessionId, participantId, userId, events);
    }

    /// <param name="apiEvents">Every event the API listed for the participant, in list order (newest first, as IVS lists them).</param>
    /// <returns>The repair event, or null when the API reports no publish event.</returns>
    public static ParsedIvsEvent? Latest(
        string stageArn, string sessionId, string participantId, string? userId, IReadOnlyList<IvsParticipantEvent> apiEvents)
    {
        ArgumentNullException.ThrowIfNull(apiEvents);

        // Chronological order: by time, and for equal times the reverse of the newest-first list order.
        var publishEvents = apiEvents
            .Select((e, index) => (Event: e, Index: index))
            .Where(
                x => x.Event.Name is IvsParticipantEventName.PublishStarted or IvsParticipantEventName.PublishStopped
                && x.Event.EventTime is not null)
            .OrderBy(x => x.Event.EventTime!.Value.UtcTicks)
            .ThenByDescending(x => x.Index)
            .ToList();
        if (publishEvents.Count == 0)
        {
            return null;
        }

        var latest = publishEvents[^1].Event;
        var time = latest.EventTime!.Value.ToUniversalTime();
        var sameInstant = publishEvents.Count(x => x.Event.EventTime!.Value.UtcTicks == time.UtcTicks);
        var stamped = time.AddTicks(sameInstant);
        var name = latest.Name == IvsParticipantEventName.PublishStarted ? PublishStarted : PublishStopped;
        return Build(stageArn, sessionId, participantId, userId ?? "", name, stamped);
    }

    /// <summary>A Stage Update envelope as EventBridge delivers it, parsed by the same parser the event handler uses.</summary>
    public static ParsedIvsEvent Build(
        string stageArn, string sessionId, string participantId, string userId, string eventName, DateTimeOffset time)
    {
        ArgumentException.ThrowIfNullOrEmpty(stageArn);
        var (region, account) = RegionAndAccountOf(stageArn);
        var timeText = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "0");
            json.WriteString("id", EventId(stageArn, sessionId, participantId, eventName, timeText));
            json.WriteString("detail-type", IvsDetailTypes.StageUpdate);
            json.WriteString("source", IvsEventParser.IvsSource);
            json.WriteString("account", account);
            json.WriteString("time", timeText);
            json.WriteString("region", region);
            json.WriteStartArray("resources");
            json.WriteStringValue(stageArn);
            json.WriteEndArray();
            json.WriteStartObject("detail");
            json.WriteString("session_id", sessionId);
            json.WriteString("event_name", eventName);
            json.WriteString("event_time", timeText);
            json.WriteString("user_id", userId);
            json.WriteString("participant_id", participantId);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return IvsEventParser.TryParse(buffer.WrittenSpan, out var parsed, out var reason)
            ? parsed
            : throw new InvalidOperationException($"A repair event for {stageArn} did not parse: {reason}");
    }

    /// <summary>A UUID-shaped id (like EventBridge's), the same for the same participant, kind and time.</summary>
    public static string EventId(string stageArn, string sessionId, string participantId, string eventName, string timeText)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"reconciler\n{stageArn}\n{sessionId}\n{participantId}\n{eventName}\n{timeText}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: custom, name-based
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }

    // arn:aws:ivs:<region>:<account>:stage/<id>
    private static (string Region, string Account) RegionAndAccountOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length >= 6 && parts[3].Length > 0 && parts[4].Length > 0
            ? (parts[3], parts[4])
            : throw new ArgumentException($"'{arn}' is not a stage ARN.", nameof(arn));
    }
}
