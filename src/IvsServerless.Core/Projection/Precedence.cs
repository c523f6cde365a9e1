using IvsServerless.Core.Events;

namespace IvsServerless.Core.Projection;

/// <summary>
/// Which event wins when two events that set the same field group carry the same time (IVS times are to the second).
/// The later step of a lifecycle wins, because within one second "started then stopped" is the usual story:
/// Published &lt; Unpublished; Recording Start &lt; Start Failure &lt; End &lt; End Failure; Replication Started &lt; Ended;
/// Session Start &lt; End &lt; Failure; Destination Start &lt; Reconnecting &lt; End &lt; Failure.
/// The numbers are persisted inside stamps (<see cref="EventStamp.ToSortKey"/>): never renumber, only add.
/// </summary>
public static class Precedence
{
    public static int Rank(IvsEventName name) => name switch
    {
        IvsEventName.Unknown => 0,
        IvsEventName.TokenExchanged => 1,
        IvsEventName.ParticipantPublished => 10,
        IvsEventName.ParticipantPublishError => 11,
        IvsEventName.ParticipantUnpublished => 12,
        IvsEventName.ParticipantReplicationStarted => 20,
        IvsEventName.ParticipantReplicationEnded => 21,
        IvsEventName.RecordingStart => 30,
        IvsEventName.RecordingStartFailure => 31,
        IvsEventName.RecordingEnd => 32,
        IvsEventName.RecordingEndFailure => 33,
        IvsEventName.SessionStart => 40,
        IvsEventName.SessionEnd => 41,
        IvsEventName.SessionFailure => 42,
        IvsEventName.DestinationStart => 50,
        IvsEventName.DestinationReconnecting => 51,
        IvsEventName.DestinationEnd => 52,
        IvsEventName.DestinationFailure => 53,
        _ => 0,
    };
}
