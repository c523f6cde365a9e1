namespace IvsServerless.Core.Events;

/// <summary>An IVS event that passed <see cref="IvsEventParser"/>: envelope, typed detail, and the time it happened.</summary>
/// <param name="EventNameText">The <c>event_name</c> as sent, kept even when <see cref="EventName"/> is <see
/// cref="IvsEventName.Unknown"/>.</param>
/// <param name="EventTime">UTC; <c>detail.event_time</c> when the event has one, else the envelope <c>time</c>.</param>
/// <param name="Detail">A <see cref="StageUpdateDetail"/>, <see cref="ParticipantRecordingDetail"/> or <see
/// cref="CompositionStateDetail"/>, per <see cref="DetailType"/>.</param>
public sealed record ParsedIvsEvent(
    IvsEventEnvelope Envelope,
    IvsDetailType DetailType,
    string EventNameText,
    IvsEventName EventName,
    DateTimeOffset EventTime,
    IIvsEventDetail Detail)
{
    public string Id => Envelope.Id;

    public bool IsUnknownEventName => EventName == IvsEventName.Unknown;

    /// <summary><c>resources[0]</c>: the stage for stage and recording events, the composition for composition events.</summary>
    public string ResourceArn => Envelope.Resources[0];
}
