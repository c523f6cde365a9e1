using System.Text.Json.Serialization;

namespace IvsServerless.EventHandlers;

public enum IvsEventDisposition
{
    /// <summary>Projected (a duplicate or stale event is "applied" too: it just changed nothing).</summary>
    Applied,

    /// <summary>Projected, but the event name is not one we know: only user id and times were taken from it.</summary>
    AppliedUnknownName,

    /// <summary>Stored as a rejected event for inspection; never retried.</summary>
    Rejected,

    /// <summary>Batched delivery only: a write failed (throttling, a transient error); the event is handed back for a retry.</summary>
    Failed,
}

/// <summary>What became of one event: logged per invocation and returned as the function's result.</summary>
public sealed record IvsEventOutcome(
    [property: JsonConverter(typeof(JsonStringEnumConverter<IvsEventDisposition>))] IvsEventDisposition Disposition,
    string? EventId,
    string? DetailType,
    string? EventName,
    string? Reason = null);

[
    JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IvsEventOutcome))]
internal sealed partial class EventHandlersJsonContext : JsonSerializerContext;
