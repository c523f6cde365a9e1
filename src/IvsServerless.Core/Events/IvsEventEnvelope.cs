using System.Text.Json;

namespace IvsServerless.Core.Events;

/// <summary>
/// The EventBridge envelope of an IVS event, as validated by <see cref="IvsEventParser"/>.
/// Shaped like <c>Amazon.Lambda.CloudWatchEvents.CloudWatchEvent</c> so a later move to that package stays local.
/// </summary>
/// <param name="Detail">The raw <c>detail</c> object, kept whole so fields we do not model survive for inspection.</param>
public sealed record IvsEventEnvelope(
    string Version,
    string Id,
    string DetailType,
    string Source,
    string Account,
    DateTimeOffset Time,
    string Region,
    IReadOnlyList<string> Resources,
    JsonElement Detail);
