using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>CreateStage, GetStage, UpdateStage, DeleteStage, ListStages.</summary>
public static class StageOperations
{
    public const int StagesQuota = 1000;
    private static readonly string[] MediaTypes = ["AUDIO_VIDEO", "AUDIO_ONLY", "NONE"];
    private static readonly string[] ThumbnailStorageTypes = ["SEQUENTIAL", "LATEST"];
    private static readonly string[] ThumbnailRecordingModes = ["INTERVAL", "DISABLED"];

    public static void Register(OperationTable table)
    {
        table.Add("CreateStage", CreateStage);
        table.Add("GetStage", GetStage);
        table.Add("UpdateStage", UpdateStage);
        table.Add("DeleteStage", DeleteStage);
        table.Add("ListStages", ListStages);
    }

    private static object CreateStage(OperationContext context, RequestReader input)
    {
        var name = input.String("name", max: 128, pattern: Patterns.Name(), patternText: Patterns.ResourceName) ?? "";
        var tokenRequests = input.ObjectList("participantTokenConfigurations", maxItems: 12)?
            .Select(ParticipantTokenOperations.ReadTokenRequest).ToList() ?? [];
        var tags = input.Tags();
        var recording = ReadRecording(input.Object("autoParticipantRecordingConfiguration"));
        input.ThrowIfInvalid();

        RequireStorageConfiguration(context, recording, IvsException.Validation);
        if (context.State.Stages.Count >= StagesQuota)
        {
            throw IvsException.QuotaExceeded($"Limit of {StagesQuota} stages per region exceeded.");
        }

        var host = ResourceIds.NewHex(12);
        var stage = new StageRecord
        {
            Arn = context.NewArn("stage", ResourceIds.NewId()),
            Name = name,
            Recording = recording ?? AutoParticipantRecordingConfiguration.Disabled,
            Endpoints = new StageEndpoints(
                "wss://global.events.live-video.net",
                $"https://{host}.global-bm.whip.live-video.net",
                $"rtmp://{host}.global-contribute-staging.live-video.net/app/",
                $"rtmps://{host}.global-contribute-staging.live-video.net:443/app/"),
            Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        context.State.Stages.Add(stage.Arn, stage);
        context.State.Taggable.Add(stage.Arn, stage);

        var tokens = tokenRequests.Select(request => ParticipantTokenOperations.Mint(context, stage, request)).ToList();
        return new { stage = ToStage(stage), participantTokens = tokens };
    }

    private static object GetStage(OperationContext context, RequestReader input)
    {
        var arn = ReadStageArn(input, "arn");
        input.ThrowIfInvalid();
        return new { stage = ToStage(Find(context, arn!)) };
    }

    private static object UpdateStage(OperationContext context, RequestReader input)
    {
        var arn = ReadStageArn(input, "arn");
        var name = input.String("name", max: 128, pattern: Patterns.Name(), patternText: Patterns.ResourceName);
        var recording = ReadRecording(input.Object("autoParticipantRecordingConfiguration"));
        input.ThrowIfInvalid();

        var stage = Find(context, arn!);
        if (recording is not null)
        {
            RequireStorageConfiguration(context, recording, IvsException.NotFound);
            if (stage.ActiveSession?.Participants.Values.Any(p => p.RecordingState is "STARTING" or "ACTIVE" or "STOPPING") == true)
            {
                throw IvsException.Conflict("Cannot update the recording configuration while participants are being recorded.");
            }

            stage.Recording = recording;
        }

        stage.Name = name ?? stage.Name;
        return new { stage = ToStage(stage) };
    }

    private static object DeleteStage(OperationContext context, RequestReader input)
    {
        var arn = ReadStageArn(input, "arn");
        input.ThrowIfInvalid();

        var stage = Find(context, arn!);
        SessionOperations.DisconnectEveryone(context, stage);
        CompositionOperations.StopAllOnStage(context, stage.Arn);
        IngestConfigurationOperations.DetachStage(context, stage.Arn);
        context.State.Stages.Remove(stage.Arn);
        context.State.Taggable.Remove(stage.Arn);
        return EmptyResponse.Instance;
    }

    private static object ListStages(OperationContext context, RequestReader input)
    {
        var nextToken = ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 50);
        input.ThrowIfInvalid();

        var page = context.Pages.Paginate("ListStages", context.State.Stages.Values, s => s.Arn, nextToken, maxResults);
        return new
        {
            stages = page.Items.Select(
                s => new { arn = s.Arn, name = s.Name, activeSessionId = s.ActiveSession?.SessionId, tags = s.Tags }),
            nextToken = page.NextToken,
        };
    }

    /// <summary>The wire shape of a stage (GetStage, CreateStage, UpdateStage).</summary>
    public static object ToStage(StageRecord stage) => new
    {
        arn = stage.Arn,
        name = stage.Name,
        activeSessionId = stage.ActiveSession?.SessionId,
        tags = stage.Tags,
        autoParticipantRecordingConfiguration = stage.Recording,
        endpoints = stage.Endpoints,
    };

    /// <summary>The stage with this ARN, or 404.</summary>
    public static StageRecord Find(OperationContext context, string arn) =>
        context.State.Stages.TryGetValue(arn, out var stage) ? stage : throw IvsException.StageNotFound(arn);

    public static string? ReadStageArn(RequestReader input, string name, bool required = true) =>
        input.String(name, required, 1, 128, Patterns.StageArn(), "arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+");

    public static string? ReadNextToken(RequestReader input) =>
        input.String("nextToken", max: 1024, pattern: Patterns.PaginationToken(), patternText: "[a-zA-Z0-9+/=_-]*");

    private static void RequireStorageConfiguration(OperationContext context, AutoParticipantRecordingConfiguration? recording,
        Func<string, IvsException> error)
    {
        if (recording is { Enabled: true } && !context.State.StorageConfigurations.ContainsKey(recording.StorageConfigurationArn))
        {
            throw error($"Storage configuration {recording.StorageConfigurationArn} not found");
        }
    }

    private static AutoParticipantRecordingConfiguration? ReadRecording(RequestReader? input)
    {
        if (input is null)
        {
            return null;
        }

        var defaults = AutoParticipantRecordingConfiguration.Disabled;
        var storageArn = input.String("storageConfigurationArn", required: true, max: 128,
            pattern: Patterns.OptionalStorageConfigurationArn(),
                patternText: "^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$");
        var mediaTypes = input.EnumList("mediaTypes", MediaTypes, maxItems: 1);
        var thumbnail = input.Object("thumbnailConfiguration");
        var thumbnailConfiguration = thumbnail is null
            ? defaults.ThumbnailConfiguration
            : new ParticipantThumbnailConfiguration(
                thumbnail.Int("targetIntervalSeconds", 1, 86400) ?? defaults.ThumbnailConfiguration.TargetIntervalSeconds,
                thumbnail.EnumList("storage", ThumbnailStorageTypes, maxItems: 2) ?? defaults.ThumbnailConfiguration.Storage,
                thumbnail.Enum("recordingMode", ThumbnailRecordingModes) ?? defaults.ThumbnailConfiguration.RecordingMode);
        var reconnectWindow = input.Int("recordingReconnectWindowSeconds", 0, 300);
        var hls = input.Object("hlsConfiguration");
        var hlsConfiguration = hls is null
            ? defaults.HlsConfiguration
            : new ParticipantRecordingHlsConfiguration(
                hls.Int("targetSegmentDurationSeconds", 2, 10) ?? defaults.HlsConfiguration.TargetSegmentDurationSeconds);
        var recordReplicas = input.Bool("recordParticipantReplicas");

        // An empty storage ARN disables recording, and the other fields go back to their defaults.
        return string.IsNullOrEmpty(storageArn)
            ? defaults
            : new AutoParticipantRecordingConfiguration(
                storageArn,
                mediaTypes is { Count: > 0 } ? mediaTypes : defaults.MediaTypes,
                thumbnailConfiguration,
                reconnectWindow ?? defaults.RecordingReconnectWindowSeconds,
                hlsConfiguration,
                recordReplicas ?? defaults.RecordParticipantReplicas);
    }
}
