using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IvsServerless.IvsEmulator.Events;

/// <summary>One EventBridge event as IVS sends it (source <c>aws.ivs</c>).</summary>
public sealed record IvsEvent(
    string Id,
    string DetailType,
    string Account,
    DateTimeOffset Time,
    string Region,
    IReadOnlyList<string> Resources,
    JsonObject Detail)
{
    public const string StageUpdate = "IVS Stage Update";
    public const string ParticipantRecordingStateChange = "IVS Participant Recording State Change";
    public const string CompositionStateChange = "IVS Composition State Change";

    public string Source => "aws.ivs";

    public string? EventName => Detail["event_name"]?.GetValue<string>();

    /// <summary>The exact EventBridge envelope: kebab-case <c>detail-type</c>, second-precision time.</summary>
    public JsonObject ToEnvelope() => new()
    {
        ["version"] = "0",
        ["id"] = Id,
        ["detail-type"] = DetailType,
        ["source"] = Source,
        ["account"] = Account,
        ["time"] = EventTime(Time),
        ["region"] = Region,
        ["resources"] = new JsonArray(Resources.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
        ["detail"] = Detail.DeepClone(),
    };

    public string ToJson() => ToEnvelope().ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>EventBridge and IVS write event times to the second, UTC.</summary>
    public static string EventTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
