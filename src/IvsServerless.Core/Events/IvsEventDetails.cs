using System.Text.Json;
using System.Text.Json.Serialization;

namespace IvsServerless.Core.Events;

/// <summary>What every typed <c>detail</c> has. Fields we do not model land in <see cref="Extra"/> instead of being lost.</summary>
public interface IIvsEventDetail
{
    string? EventName { get; }

    IDictionary<string, JsonElement>? Extra { get; }
}

/// <summary>
/// <c>IVS Stage Update</c>. <c>event_time</c> is in current events only; error and replication events add fields
/// whose names are not confirmed in the AWS docs (the emulator's: <c>error_code</c>, <c>source_stage_arn</c>, …).
/// </summary>
public sealed class StageUpdateDetail : IIvsEventDetail
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("event_name")] public string? EventName { get; init; }
    [JsonPropertyName("event_time")] public string? EventTime { get; init; }
    [JsonPropertyName("user_id")] public string? UserId { get; init; }
    [JsonPropertyName("participant_id")] public string? ParticipantId { get; init; }
    [JsonPropertyName("error_code")] public string? ErrorCode { get; init; }
    [JsonPropertyName("source_stage_arn")] public string? SourceStageArn { get; init; }
    [JsonPropertyName("source_session_id")] public string? SourceSessionId { get; init; }
    [JsonPropertyName("destination_stage_arn")] public string? DestinationStageArn { get; init; }
    [JsonPropertyName("destination_session_id")] public string? DestinationSessionId { get; init; }
    [JsonPropertyName("replica")] public bool? Replica { get; init; }
    [JsonExtensionData] public IDictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>IVS Participant Recording State Change</c>. No <c>event_time</c>: the envelope time is the event time.</summary>
public sealed class ParticipantRecordingDetail : IIvsEventDetail
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("event_name")] public string? EventName { get; init; }
    [JsonPropertyName("participant_id")] public string? ParticipantId { get; init; }
    [JsonPropertyName("recording_s3_bucket_name")] public string? RecordingS3BucketName { get; init; }
    [JsonPropertyName("recording_s3_key_prefix")] public string? RecordingS3KeyPrefix { get; init; }

    /// <summary>Seen on Recording End in third-party code only.</summary>
    [JsonPropertyName("recording_duration_ms")] public long? RecordingDurationMs { get; init; }

    [JsonExtensionData] public IDictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>
/// <c>IVS Composition State Change</c>; <c>resources[0]</c> is the composition. The destination id and reason
/// field names come from third-party consumers only, so both are optional.
/// </summary>
public sealed class CompositionStateDetail : IIvsEventDetail
{
    [JsonPropertyName("event_name")] public string? EventName { get; init; }
    [JsonPropertyName("stage_arn")] public string? StageArn { get; init; }
    [JsonPropertyName("destination_id")] public string? DestinationId { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonExtensionData] public IDictionary<string, JsonElement>? Extra { get; set; }
}
