namespace IvsServerless.IvsEmulator.State;

// What the simulation (joins, publishing, subscriptions) and participant replication add to the
// session model. Kept apart from StageSessionRecord.cs so that file stays the shared core.

public sealed partial class EmulatorState
{
    /// <summary>Every participant replication ever started (ACTIVE or STOPPED), oldest first.</summary>
    public List<ParticipantReplicaRecord> Replicas { get; } = [];

    /// <summary>Participants removed with DisconnectParticipant: IVS revokes them permanently from the stage,
    /// so the same participant id (token <c>jti</c>) cannot join that stage again.</summary>
    public HashSet<(string StageArn, string ParticipantId)> RevokedParticipants { get; } = [];
}

public sealed partial class StageSessionRecord
{
    /// <summary>Connected participants that are publishing right now (what the 12-publisher limit counts).</summary>
    public IEnumerable<ParticipantRecord> Publishers => Connected.Where(p => p.IsPublishing);
}

public sealed partial class ParticipantRecord
{
    /// <summary>Publishing right now. <see cref="Published"/> is the API member, which IVS documents as
    /// "whether the participant ever published to the stage session" and so stays true after unpublishing.</summary>
    public bool IsPublishing { get; set; }

    /// <summary>Ids of the publishers this participant is subscribed to right now.</summary>
    public HashSet<string> Subscriptions { get; } = new(StringComparer.Ordinal);

    public bool IsReplica => ReplicationType == ReplicationTypes.Replica;
}

public static class ReplicationTypes
{
    public const string Source = "SOURCE";
    public const string Replica = "REPLICA";
    public const string None = "NONE";
}

public static class ReplicationStates
{
    public const string Active = "ACTIVE";
    public const string Stopped = "STOPPED";
}

public static class RecordingStates
{
    public const string Starting = "STARTING";
    public const string Active = "ACTIVE";
    public const string Stopping = "STOPPING";
    public const string Stopped = "STOPPED";
    public const string Failed = "FAILED";
    public const string Disabled = "DISABLED";
}

/// <summary>One replication of a publishing participant from a source stage into a destination stage
/// (the <c>ParticipantReplica</c> structure, plus what the emulator needs to run the reconnect window).</summary>
public sealed class ParticipantReplicaRecord
{
    public required string SourceStageArn { get; init; }
    public required string ParticipantId { get; init; }
    public required string SourceSessionId { get; set; }
    public required string DestinationStageArn { get; init; }
    public required string DestinationSessionId { get; init; }
    public required int ReconnectWindowSeconds { get; init; }
    public string ReplicationState { get; set; } = ReplicationStates.Active;

    /// <summary>The source stopped publishing and the replication ends when the reconnect window expires,
    /// unless the source publishes again first.</summary>
    public bool StopPending { get; set; }

    /// <summary>Bumped whenever a pending stop is armed or cancelled, so a stale scheduled stop does nothing.</summary>
    public int StopGeneration { get; set; }

    public bool IsActive => ReplicationState == ReplicationStates.Active;
}
