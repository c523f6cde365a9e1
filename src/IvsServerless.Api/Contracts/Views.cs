using IvsServerless.Core.Compositions;
using IvsServerless.Core.Sessions;
using IvsServerless.Core.Stages;

namespace IvsServerless.Api.Contracts;

public static class Views
{
    public static StageView Of(
        Stage stage, string callerId, IReadOnlyList<Composition>? compositions = null,
        IReadOnlyList<SessionParticipant>? participants = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return new StageView
        {
            StageId = stage.StageId,
            StageArn = stage.StageArn,
            Name = stage.Name,
            OwnerId = stage.OwnerId,
            Visibility = stage.Visibility == StageVisibility.Public ? "public" : "private",
            CoHostIds = [.. stage.CoHostIds.Order(StringComparer.Ordinal)],
            InvitedUserIds = stage.IsOwnedBy(callerId) ? [.. stage.InvitedUserIds.Order(StringComparer.Ordinal)] : null,
            CreatedAt = stage.CreatedAt,
            Live = stage.ActiveSessionId is not null,
            ActiveSessionId = stage.ActiveSessionId,
            Version = stage.Version,
            Recording = Of(stage.Recording),
            Compositions = compositions?.Select(Of).ToList(),
            Participants = compositions is null ? null
                : [
                    .. (participants ?? []).Select(
                    p => new ParticipantView { ParticipantId = p.ParticipantId, UserId = p.UserId, Publishing = p.Publishing })],
        };
    }

    public static StageRecordingView Of(StageRecording? recording) => recording is null
        ? new StageRecordingView { Mode = "off" }
        : new StageRecordingView
        {
            Mode = "individual",
            MediaTypes = [recording.MediaType],
            ThumbnailConfiguration = new ThumbnailConfigurationView
            {
                RecordingMode = recording.ThumbnailRecordingMode,
                TargetIntervalSeconds = recording.ThumbnailTargetIntervalSeconds,
                Storage = recording.ThumbnailStorage,
            },
            RecordingReconnectWindowSeconds = recording.RecordingReconnectWindowSeconds,
            HlsConfiguration = new HlsConfigurationView { TargetSegmentDurationSeconds = recording.HlsTargetSegmentDurationSeconds },
        };

    public static CompositionView Of(Composition composition)
    {
        ArgumentNullException.ThrowIfNull(composition);
        return new CompositionView
        {
            CompositionId = composition.CompositionId,
            CompositionArn = composition.CompositionArn,
            State = composition.State,
            StartedBy = composition.StartedBy,
            StartedAt = composition.StartedAt,
            EndedAt = composition.EndedAt,
            FailureReason = composition.FailureReason,
            Destinations = composition.Destinations?.Select(
                d => new CompositionDestinationView { DestinationId = d.DestinationId, State = d.State, Reason = d.Reason }).ToList(),
        };
    }
}
