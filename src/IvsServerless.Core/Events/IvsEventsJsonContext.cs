using System.Text.Json.Serialization;

namespace IvsServerless.Core.Events;

/// <summary>Source-generated (de)serialization only: the Lambda is Native AOT, reflection-based JSON is not an option.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(EnvelopeDocument))]
[JsonSerializable(typeof(StageUpdateDetail))]
[JsonSerializable(typeof(ParticipantRecordingDetail))]
[JsonSerializable(typeof(CompositionStateDetail))]
internal sealed partial class IvsEventsJsonContext : JsonSerializerContext;
