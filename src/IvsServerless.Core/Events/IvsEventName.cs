namespace IvsServerless.Core.Events;

/// <summary>
/// The <c>event_name</c> values we act on. IVS adds names over time and the English wording of some
/// (replication, token exchange) is not confirmed, so a name we do not know is <see cref="Unknown"/>, never an error.
/// </summary>
public enum IvsEventName
{
    Unknown,

    ParticipantPublished,
    ParticipantUnpublished,
    ParticipantPublishError,
    ParticipantReplicationStarted,
    ParticipantReplicationEnded,
    TokenExchanged,

    RecordingStart,
    RecordingStartFailure,
    RecordingEnd,
    RecordingEndFailure,

    SessionStart,
    SessionEnd,
    SessionFailure,
    DestinationStart,
    DestinationReconnecting,
    DestinationEnd,
    DestinationFailure,
}

public static class IvsEventNames
{
    /// <summary>Names are matched per detail-type: a recording name inside a Stage Update is not a recording event.</summary>
    public static IvsEventName Parse(IvsDetailType detailType, string name) => (detailType, name) switch
    {
        (IvsDetailType.StageUpdate, "Participant Published") => IvsEventName.ParticipantPublished,
        (IvsDetailType.StageUpdate, "Participant Unpublished") => IvsEventName.ParticipantUnpublished,
        (IvsDetailType.StageUpdate, "Participant Publish Error") => IvsEventName.ParticipantPublishError,
        // Wording taken from the emulator's best reading of the user guide (not confirmed word for word).
        (IvsDetailType.StageUpdate, "Participant Replication Started") => IvsEventName.ParticipantReplicationStarted,
        (IvsDetailType.StageUpdate, "Participant Replication Ended") => IvsEventName.ParticipantReplicationEnded,
        (IvsDetailType.StageUpdate, "Token Exchanged") => IvsEventName.TokenExchanged,

        (IvsDetailType.ParticipantRecordingStateChange, "Recording Start") => IvsEventName.RecordingStart,
        (IvsDetailType.ParticipantRecordingStateChange, "Recording Start Failure") => IvsEventName.RecordingStartFailure,
        (IvsDetailType.ParticipantRecordingStateChange, "Recording End") => IvsEventName.RecordingEnd,
        (IvsDetailType.ParticipantRecordingStateChange, "Recording End Failure") => IvsEventName.RecordingEndFailure,

        (IvsDetailType.CompositionStateChange, "Session Start") => IvsEventName.SessionStart,
        (IvsDetailType.CompositionStateChange, "Session End") => IvsEventName.SessionEnd,
        (IvsDetailType.CompositionStateChange, "Session Failure") => IvsEventName.SessionFailure,
        (IvsDetailType.CompositionStateChange, "Destination Start") => IvsEventName.DestinationStart,
        (IvsDetailType.CompositionStateChange, "Destination Reconnecting") => IvsEventName.DestinationReconnecting,
        (IvsDetailType.CompositionStateChange, "Destination End") => IvsEventName.DestinationEnd,
        (IvsDetailType.CompositionStateChange, "Destination Failure") => IvsEventName.DestinationFailure,

        _ => IvsEventName.Unknown,
    };
}
