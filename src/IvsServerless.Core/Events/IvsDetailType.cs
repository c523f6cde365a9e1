namespace IvsServerless.Core.Events;

/// <summary>The three <c>detail-type</c> values IVS real-time sends; anything else is rejected by the parser.</summary>
public enum IvsDetailType
{
    StageUpdate,
    ParticipantRecordingStateChange,
    CompositionStateChange,
}

public static class IvsDetailTypes
{
    public const string StageUpdate = "IVS Stage Update";
    public const string ParticipantRecordingStateChange = "IVS Participant Recording State Change";
    public const string CompositionStateChange = "IVS Composition State Change";

    public static bool TryParse(string? text, out IvsDetailType detailType)
    {
        (var known, detailType) = text switch
        {
            StageUpdate => (true, IvsDetailType.StageUpdate),
            ParticipantRecordingStateChange => (true, IvsDetailType.ParticipantRecordingStateChange),
            CompositionStateChange => (true, IvsDetailType.CompositionStateChange),
            _ => (false, default),
        };
        return known;
    }
}
