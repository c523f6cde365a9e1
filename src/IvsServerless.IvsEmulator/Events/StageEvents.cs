using System.Text.Json.Nodes;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Events;

/// <summary>
/// The <c>detail</c> objects of the stage and participant-recording events IVS sends to EventBridge.
/// </summary>
/// <remarks>
/// Sources:
/// <list type="bullet">
/// <item>Amazon IVS Real-Time User Guide, "Using Amazon EventBridge with IVS Real-Time Streaming"
/// (https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/eventbridge.html): the event table lists, for
/// detail-type "IVS Stage Update", the events Participant Published, Participant Unpublished, Participant Publish
/// Error, a participant-replication start, a participant-replication end ("replication may end because of a
/// StopParticipantReplication API operation, if the publisher stopped publishing, or the publisher stopped
/// publishing and the reconnect window expired") and a token-exchanged event; for "IVS Participant Recording
/// State Change": Recording Start, Recording End, Recording Start Failure, Recording End Failure.</item>
/// <item>Stage Update detail fields {session_id, event_name, event_time, user_id ("" when none), participant_id}
/// and the Participant Recording State Change fields {session_id, event_name, participant_id,
/// recording_s3_bucket_name, recording_s3_key_prefix} follow the captured events and the user-guide example
/// reproduced in /work/shared/reference/ivs-events-and-tokens.md §1.</item>
/// </list>
/// Not verified word for word: the stored copies of that page available to the emulator's authors were cut
/// before the English rows for replication and token exchange (only translated rows were readable: zh_CN
/// "参与者复制开始 / 参与者复制结束 / 令牌已交换"). The three English strings below are therefore the best
/// reading, kept in one place so they can be corrected; consumers should treat unknown event names gracefully.
/// The extra fields of error and replication events are likewise modeled on the API's <c>Event</c> structure
/// (errorCode, destinationStageArn, destinationSessionId, replica) in the detail's snake_case style.
/// </remarks>
public static class StageEvents
{
    public const string ParticipantPublished = "Participant Published";
    public const string ParticipantUnpublished = "Participant Unpublished";
    public const string ParticipantPublishError = "Participant Publish Error";

    /// <summary>Best reading of the user-guide row (see remarks); not checked against the English page.</summary>
    public const string ParticipantReplicationStarted = "Participant Replication Started";

    /// <summary>Best reading of the user-guide row (see remarks); not checked against the English page.</summary>
    public const string ParticipantReplicationEnded = "Participant Replication Ended";

    /// <summary>Best reading of the user-guide row (see remarks). The emulator does not simulate token exchange,
    /// so it never emits this; the constant is here for consumers of the event names.</summary>
    public const string TokenExchanged = "Token Exchanged";

    public const string RecordingStart = "Recording Start";
    public const string RecordingEnd = "Recording End";
    public const string RecordingStartFailure = "Recording Start Failure";
    public const string RecordingEndFailure = "Recording End Failure";

    /// <summary>The <c>IVS Stage Update</c> detail, in the field order of captured events.</summary>
    public static JsonObject StageUpdate(string eventName, StageSessionRecord session, ParticipantRecord participant, DateTimeOffset now) =>
        new()
        {
            ["session_id"] = session.SessionId,
            ["event_name"] = eventName,
            ["event_time"] = IvsEvent.EventTime(now),
            ["user_id"] = participant.UserId ?? "",
            ["participant_id"] = participant.ParticipantId,
        };

    /// <summary>Participant Publish Error: the Stage Update detail plus the EventErrorCode that caused it.</summary>
    public static JsonObject PublishError(StageSessionRecord session, ParticipantRecord participant, string errorCode, DateTimeOffset now)
    {
        var detail = StageUpdate(ParticipantPublishError, session, participant, now);
        detail["error_code"] = errorCode;
        return detail;
    }

    /// <summary>Replication started / ended: the Stage Update detail (of the stage it is sent for) plus both ends.</summary>
    public static JsonObject Replication(string eventName, StageSessionRecord session, ParticipantRecord participant,
        ParticipantReplicaRecord replication, DateTimeOffset now)
    {
        var detail = StageUpdate(eventName, session, participant, now);
        detail["source_stage_arn"] = replication.SourceStageArn;
        detail["source_session_id"] = replication.SourceSessionId;
        detail["destination_stage_arn"] = replication.DestinationStageArn;
        detail["destination_session_id"] = replication.DestinationSessionId;
        detail["replica"] = participant.IsReplica;
        return detail;
    }

    /// <summary>The <c>IVS Participant Recording State Change</c> detail.</summary>
    public static JsonObject Recording(string eventName, StageSessionRecord session, ParticipantRecord participant) =>
        Recording(
            eventName, session.SessionId, participant.ParticipantId, participant.RecordingS3BucketName, participant.RecordingS3Prefix);

    /// <summary>The detail of an IVS Participant Recording State Change for one recording's location.</summary>
    public static JsonObject Recording(string eventName, string sessionId, string participantId, string? bucket, string? prefix) => new()
    {
        ["session_id"] = sessionId,
        ["event_name"] = eventName,
        ["participant_id"] = participantId,
        ["recording_s3_bucket_name"] = bucket ?? "",
        ["recording_s3_key_prefix"] = prefix ?? "",
    };
}
