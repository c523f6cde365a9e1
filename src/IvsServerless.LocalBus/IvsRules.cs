namespace IvsServerless.LocalBus;

/// <summary>
/// The event patterns of the three EventBridge rules that route IVS events to the ivs-events Lambda.
/// These are the same patterns the CDK rules must use: one place, so the local bus and AWS route alike.
/// </summary>
public static class IvsRules
{
    public const string StageUpdateRuleName = "ivs-stage-update";
    public const string ParticipantRecordingStateChangeRuleName = "ivs-participant-recording-state-change";
    public const string CompositionStateChangeRuleName = "ivs-composition-state-change";

    public const string StageUpdatePattern =
        """{"source":["aws.ivs"],"detail-type":["IVS Stage Update"]}""";

    public const string ParticipantRecordingStateChangePattern =
        """{"source":["aws.ivs"],"detail-type":["IVS Participant Recording State Change"]}""";

    public const string CompositionStateChangePattern =
        """{"source":["aws.ivs"],"detail-type":["IVS Composition State Change"]}""";

    /// <summary>Rule name → pattern JSON, in a stable order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> All { get; } =
    [
        new(StageUpdateRuleName, StageUpdatePattern),
        new(ParticipantRecordingStateChangeRuleName, ParticipantRecordingStateChangePattern),
        new(CompositionStateChangeRuleName, CompositionStateChangePattern),
    ];
}
