using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>Reading StartComposition's destinations and layout, with the documented defaults filled in.</summary>
public static partial class CompositionOperations
{
    private static readonly string[] VideoAspectRatios = ["AUTO", "VIDEO", "SQUARE", "PORTRAIT"];
    private static readonly string[] VideoFillModes = ["FILL", "COVER", "CONTAIN"];
    private static readonly string[] PipBehaviors = ["STATIC", "DYNAMIC"];
    private static readonly string[] PipPositions = ["TOP_LEFT", "TOP_RIGHT", "BOTTOM_LEFT", "BOTTOM_RIGHT"];
    private static readonly string[] RecordingFormats = ["HLS"];
    private static readonly string[] ThumbnailStorageTypes = ["SEQUENTIAL", "LATEST"];

    private static readonly GridConfiguration DefaultGrid = new("", false, "VIDEO", null, 2, "");

    private static List<DestinationConfiguration> ReadDestinations(RequestReader input)
    {
        var destinations = input.ObjectList("destinations", 1, 2, required: true)?.Select(ReadDestination).ToList() ?? [];
        if (destinations.Count(d => d.Channel is not null) > 1 || destinations.Count(d => d.S3 is not null) > 1)
        {
            input.Fail("destinations", "[…]", "A composition has at most one channel destination and one s3 destination");
        }

        return destinations;
    }

    private static DestinationConfiguration ReadDestination(RequestReader input)
    {
        var name = input.String("name", max: 128, pattern: Patterns.Name(), patternText: Patterns.ResourceName) ?? "";
        var channel = input.Object("channel");
        var s3 = input.Object("s3");
        if ((channel is null) == (s3 is null))
        {
            input.Fail("channel", channel is null ? null : "{…}", "Exactly one of channel or s3 must be set");
        }

        return new DestinationConfiguration(name, channel is null ? null : ReadChannel(channel), s3 is null ? null : ReadS3(s3));
    }

    /// <summary>Any well-formed channel ARN is accepted: the low-latency channel cannot be checked offline.</summary>
    private static ChannelDestinationConfiguration ReadChannel(RequestReader input) => new(
        input.String("channelArn", required: true, min: 1, max: 128, pattern: Patterns.ChannelArn()) ?? "",
        EncoderConfigurationOperations.ReadArn(input, "encoderConfigurationArn", required: false));

    private static S3DestinationConfiguration ReadS3(RequestReader input)
    {
        var storageArn = StorageConfigurationOperations.ReadArn(input, "storageConfigurationArn");
        var encoderArns = input.StringList("encoderConfigurationArns", 1, 1, required: true, itemMin: 1, itemMax: 128,
            itemPattern: Patterns.EncoderConfigurationArn());
        var recording = input.Object("recordingConfiguration");
        var hls = recording?.Object("hlsConfiguration");
        var thumbnails = input.ObjectList("thumbnailConfigurations", maxItems: 1)?
            .Select(t => new CompositionThumbnailConfiguration(
                t.Int("targetIntervalSeconds", 1, 86400) ?? 60,
                t.EnumList("storage", ThumbnailStorageTypes, maxItems: 2) ?? ["SEQUENTIAL"]))
            .ToList();

        return new S3DestinationConfiguration(
            storageArn ?? "",
            encoderArns ?? [],
            new RecordingConfiguration(
                recording?.Enum("format", RecordingFormats) ?? "HLS",
                new CompositionRecordingHlsConfiguration(hls?.Int("targetSegmentDurationSeconds", 2, 10) ?? 2)),
            thumbnails);
    }

    /// <summary>The layout as sent, each given part completed with its defaults; no layout at all means the default grid.</summary>
    private static LayoutConfiguration ReadLayout(RequestReader? input)
    {
        var grid = input?.Object("grid");
        var pip = input?.Object("pip");
        return grid is null && pip is null
            ? new LayoutConfiguration(DefaultGrid, null)
            : new LayoutConfiguration(grid is null ? null : ReadGrid(grid), pip is null ? null : ReadPip(pip));
    }

    private static GridConfiguration ReadGrid(RequestReader input)
    {
        var common = ReadCommonLayout(input);
        return new GridConfiguration(
            common.FeaturedParticipantAttribute,
            common.OmitStoppedVideo,
            input.Enum("videoAspectRatio", VideoAspectRatios) ?? DefaultGrid.VideoAspectRatio,
            // Unset, the service fills tiles per participant (COVER, CONTAIN for the featured one), so none is echoed.
            common.VideoFillMode,
            common.GridGap ?? DefaultGrid.GridGap,
            common.ParticipantOrderAttribute);
    }

    private static PipConfiguration ReadPip(RequestReader input)
    {
        var common = ReadCommonLayout(input);
        return new PipConfiguration(
            common.FeaturedParticipantAttribute,
            common.OmitStoppedVideo,
            common.VideoFillMode ?? "COVER",
            common.GridGap ?? 0,
            LayoutAttribute(input, "pipParticipantAttribute"),
            input.Enum("pipBehavior", PipBehaviors) ?? "STATIC",
            input.Int("pipOffset", min: 0) ?? 0,
            input.Enum("pipPosition", PipPositions) ?? "BOTTOM_RIGHT",
            // Unset, the PiP window is sized from the composition and the participant's aspect ratio.
            input.Int("pipWidth", min: 1),
            input.Int("pipHeight", min: 1),
            common.ParticipantOrderAttribute);
    }

    /// <summary>The members grid and pip share.</summary>
    private static CommonLayout ReadCommonLayout(RequestReader input) => new(
        LayoutAttribute(input, "featuredParticipantAttribute"),
        input.Bool("omitStoppedVideo") ?? false,
        input.Enum("videoFillMode", VideoFillModes),
        input.Int("gridGap", min: 0),
        LayoutAttribute(input, "participantOrderAttribute"));

    private static string LayoutAttribute(RequestReader input, string name) =>
        input.String(name, max: 128, pattern: Patterns.Name(), patternText: Patterns.ResourceName) ?? "";

    private sealed record CommonLayout(
        string FeaturedParticipantAttribute, bool OmitStoppedVideo, string? VideoFillMode, int? GridGap, string ParticipantOrderAttribute);
}
