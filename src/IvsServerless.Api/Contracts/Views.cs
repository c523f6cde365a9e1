using IvsServerless.Core.Compositions;
using IvsServerless.Core.Ivs;
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

    /// <summary>A listed ingest configuration: no key, no endpoint.</summary>
    public static IngestConfigurationView Of(IvsIngestConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new IngestConfigurationView
        {
            IngestConfigurationId = configuration.Arn[(configuration.Arn.LastIndexOf('/') + 1)..],
            Name = configuration.Name,
            IngestProtocol = configuration.Protocol == IngestProtocol.Rtmps ? "RTMPS" : "RTMP",
            ParticipantId = configuration.ParticipantId,
            UserId = configuration.UserId,
            State = configuration.State,
        };
    }

    /// <summary>A new ingest configuration: the one answer with its stream key and ingest endpoint.</summary>
    public static IngestConfigurationView Of(CreatedIngestConfiguration created)
    {
        ArgumentNullException.ThrowIfNull(created);
        return Of(created.Configuration) with { StreamKey = created.StreamKey, IngestEndpoint = created.IngestEndpoint };
    }

    public static ReplicaView Of(IvsParticipantReplica replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        return new ReplicaView
        {
            ParticipantId = replica.ParticipantId,
            SourceStageId = replica.SourceStageArn[(replica.SourceStageArn.LastIndexOf('/') + 1)..],
            DestinationStageId = replica.DestinationStageArn[(replica.DestinationStageArn.LastIndexOf('/') + 1)..],
            SourceSessionId = replica.SourceSessionId,
            DestinationSessionId = replica.DestinationSessionId,
            State = replica.State,
        };
    }

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
