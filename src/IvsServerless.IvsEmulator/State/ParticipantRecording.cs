namespace IvsServerless.IvsEmulator.State;

public sealed partial class ParticipantRecord
{
    /// <summary>When the current individual recording started (its metadata and segment durations count from here).</summary>
    public DateTimeOffset? RecordingStartedAt { get; set; }
}
