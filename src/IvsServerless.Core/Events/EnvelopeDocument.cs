using System.Text.Json;
using System.Text.Json.Serialization;

namespace IvsServerless.Core.Events;

/// <summary>The envelope as it arrives: everything nullable, so the parser can name what is missing.</summary>
internal sealed class EnvelopeDocument
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("detail-type")] public string? DetailType { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("account")] public string? Account { get; set; }
    [JsonPropertyName("time")] public string? Time { get; set; }
    [JsonPropertyName("region")] public string? Region { get; set; }
    [JsonPropertyName("resources")] public List<string?>? Resources { get; set; }
    [JsonPropertyName("detail")] public JsonElement? Detail { get; set; }
}
