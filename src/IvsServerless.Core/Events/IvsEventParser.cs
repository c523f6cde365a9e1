using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IvsServerless.Core.Events;

/// <summary>
/// Turns the bytes EventBridge delivers into a <see cref="ParsedIvsEvent"/>, or a reason it cannot be one.
/// Never throws on bad input: the caller stores rejected events for inspection, and one poison event must not
/// block the ones behind it. An unknown <c>event_name</c> is accepted (IVS adds names); an unknown detail-type is not.
/// </summary>
public static class IvsEventParser
{
    /// <summary>EventBridge refuses larger events, so anything bigger did not come from it.</summary>
    public const int MaxEventBytes = 256 * 1024;

    public const string IvsSource = "aws.ivs";

    // IVS writes "2025-04-23T06:36:53Z"; fractions and offsets are accepted in case a producer adds them.
    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out ParsedIvsEvent? parsed, out string rejectionReason)
    {
        parsed = null;
        if (json.Length > MaxEventBytes)
        {
            rejectionReason = $"event is {json.Length} bytes, more than the EventBridge limit of {MaxEventBytes}";
            return false;
        }

        if (!TryDeserialize(json, IvsEventsJsonContext.Default.EnvelopeDocument, "$", out var document, out rejectionReason))
        {
            return false;
        }

        if (document is null)
        {
            rejectionReason = "event is JSON null, not an object";
            return false;
        }

        rejectionReason = Validate(document, out var envelope, out var detailType);
        if (envelope is null)
        {
            return false;
        }

        var detail = ParseDetail(envelope.Detail, detailType, out rejectionReason);
        if (detail is null)
        {
            return false;
        }

        var eventTime = envelope.Time;
        if (detail is StageUpdateDetail { EventTime: { Length: > 0 } text })
        {
            if (!TryParseTime(text, out eventTime))
            {
                rejectionReason = $"detail.event_time '{text}' is not an ISO-8601 UTC time";
                return false;
            }
        }

        parsed = new ParsedIvsEvent(
            envelope, detailType, detail.EventName!, IvsEventNames.Parse(detailType, detail.EventName!), eventTime, detail);
        rejectionReason = "";
        return true;
    }

    private static string Validate(EnvelopeDocument document, out IvsEventEnvelope? envelope, out IvsDetailType detailType)
    {
        envelope = null;
        detailType = default;
        var missing = new[]
        {
            ("version", document.Version), ("id", document.Id), ("detail-type", document.DetailType), ("source", document.Source),
            ("account", document.Account), ("time", document.Time), ("region", document.Region),
        }.Where(f => string.IsNullOrEmpty(f.Item2)).Select(f => f.Item1).ToList();
        if (document.Resources is not { Count: > 0 } || document.Resources.Any(string.IsNullOrEmpty))
        {
            missing.Add("resources");
        }

        if (document.Detail is null)
        {
            missing.Add("detail");
        }

        if (missing.Count > 0)
        {
            return $"missing or empty required field(s): {string.Join(", ", missing)}";
        }

        if (document.Source != IvsSource)
        {
            return $"source is '{document.Source}', expected '{IvsSource}'";
        }

        if (!IvsDetailTypes.TryParse(document.DetailType, out detailType))
        {
            return $"unknown detail-type '{document.DetailType}'";
        }

        if (!TryParseTime(document.Time!, out var time))
        {
            return $"time '{document.Time}' is not an ISO-8601 UTC time";
        }

        if (document.Detail!.Value.ValueKind != JsonValueKind.Object)
        {
            return $"detail is a JSON {document.Detail.Value.ValueKind}, not an object";
        }

        var resource = document.Resources![0]!;
        var expected = detailType == IvsDetailType.CompositionStateChange ? "composition" : "stage";
        if (!IsArnOf(resource, expected))
        {
            return $"resources[0] '{resource}' is not a {expected} ARN";
        }

        envelope = new IvsEventEnvelope(document.Version!, document.Id!, document.DetailType!, document.Source!, document.Account!, time,
            document.Region!, document.Resources!.Select(r => r!).ToArray(), document.Detail.Value);
        return "";
    }

    private static IIvsEventDetail? ParseDetail(JsonElement json, IvsDetailType detailType, out string rejectionReason)
    {
        switch (detailType)
        {
            case IvsDetailType.StageUpdate:
                return TryDeserialize(json, IvsEventsJsonContext.Default.StageUpdateDetail, out var stage, out rejectionReason)
                    && Require(
                        out rejectionReason, ("session_id", stage!.SessionId), ("event_name", stage.EventName), (
                        "participant_id", stage.ParticipantId))
                    ? stage : null;
            case IvsDetailType.ParticipantRecordingStateChange:
                return TryDeserialize(json, IvsEventsJsonContext.Default.ParticipantRecordingDetail, out var recording, out rejectionReason)
                    && Require(
                        out rejectionReason, ("session_id", recording!.SessionId), ("event_name", recording.EventName), (
                        "participant_id", recording.ParticipantId))
                    ? recording : null;
            default:
                if (!TryDeserialize(json, IvsEventsJsonContext.Default.CompositionStateDetail, out var composition, out rejectionReason)
                    || !Require(out rejectionReason, ("event_name", composition!.EventName), ("stage_arn", composition.StageArn)))
                {
                    return null;
                }

                if (!IsArnOf(composition.StageArn!, "stage"))
                {
                    rejectionReason = $"detail.stage_arn '{composition.StageArn}' is not a stage ARN";
                    return null;
                }

                return composition;
        }
    }

    private static bool Require(out string rejectionReason, params (string Name, string? Value)[] fields)
    {
        var missing = fields.Where(f => string.IsNullOrEmpty(f.Value)).Select(f => "detail." + f.Name).ToList();
        rejectionReason = missing.Count == 0 ? "" : $"missing or empty required field(s): {string.Join(", ", missing)}";
        return missing.Count == 0;
    }

    private static bool TryDeserialize<T>(JsonElement json, JsonTypeInfo<T> typeInfo, out T? value, out string rejectionReason)
    {
        try
        {
            value = json.Deserialize(typeInfo);
            rejectionReason = value is null ? "detail is JSON null" : "";
            return value is not null;
        }
        catch (JsonException e)
        {
            value = default;
            rejectionReason = Describe(e, "detail");
            return false;
        }
    }

    private static bool TryDeserialize<T>(
        ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo, string root, out T? value, out string rejectionReason)
    {
        try
        {
            value = JsonSerializer.Deserialize(json, typeInfo);
            rejectionReason = "";
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Invalid UTF-8 can surface as InvalidOperationException/ArgumentException rather than JsonException.
            value = default;
            rejectionReason = e is JsonException json1 ? Describe(json1, root) : $"not valid UTF-8 JSON: {e.Message}";
            return false;
        }
    }

    // "Path: $.id" tells wrong types from broken syntax: the serializer reports the member it could not read.
    private static string Describe(JsonException e, string root)
    {
        var path = e.Path is null ? root : root == "$" ? e.Path : root + e.Path.TrimStart('$');
        var cut = e.Message.IndexOf(" Path:", StringComparison.Ordinal);
        var message = cut > 0 ? e.Message[..cut] : e.Message;
        return message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"wrong type at {path}: {message}"
            : $"malformed JSON at {path}: {message}";
    }

    private static bool TryParseTime(string text, out DateTimeOffset time)
    {
        var ok = DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
        time = time.ToUniversalTime();
        return ok;
    }

    /// <summary>arn:aws:ivs:region:account:{kind}/{id}: the projection keys on the id after the slash.</summary>
    private static bool IsArnOf(string arn, string kind)
    {
        var marker = ":" + kind + "/";
        var at = arn.IndexOf(marker, StringComparison.Ordinal);
        return arn.StartsWith("arn:", StringComparison.Ordinal) && at > 0 && at + marker.Length < arn.Length
            && arn.IndexOf('/', at + marker.Length) < 0;
    }

    /// <summary>The last segment of an ARN (stage id, composition id).</summary>
    public static string ResourceId(string arn) => arn[(arn.LastIndexOf('/') + 1)..];
}
