namespace IvsServerless.Deployment.Events;

/// <summary>An EventBridge rule on the default bus: its name and its event pattern (JSON, as EventBridge reads it).</summary>
public sealed record EventRule(string Name, string Pattern);

/// <summary>
/// The rules that route IVS events to the <c>ivs-events</c> function, one per IVS detail-type. The CDK rules and the
/// local bus use these same patterns, so AWS and the local system route alike.
/// </summary>
public static class IvsRules
{
    public static EventRule StageUpdate { get; } =
        new("ivs-stage-update", """{"source":["aws.ivs"],"detail-type":["IVS Stage Update"]}""");

    public static EventRule ParticipantRecordingStateChange { get; } =
        new(
            "ivs-participant-recording-state-change",
            """{"source":["aws.ivs"],"detail-type":["IVS Participant Recording State Change"]}""");

    public static EventRule CompositionStateChange { get; } =
        new("ivs-composition-state-change", """{"source":["aws.ivs"],"detail-type":["IVS Composition State Change"]}""");

    /// <summary>In a stable order.</summary>
    public static IReadOnlyList<EventRule> All { get; } = [StageUpdate, ParticipantRecordingStateChange, CompositionStateChange];
}
