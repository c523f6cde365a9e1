using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IvsServerless.IvsEmulator.Recording;

/// <summary>What one recording (an individual participant's, or a composition's S3 destination) has to say about itself.</summary>
/// <param name="Subject">Who is recorded, as the metadata names it: <c>stage_arn</c>, <c>session_id</c>, <c>participant_id</c>
/// (or <c>composition_arn</c>, <c>destination_id</c>).</param>
/// <param name="MediaTypes"><c>AUDIO_VIDEO</c>, <c>AUDIO_ONLY</c> or <c>NONE</c> (no HLS).</param>
/// <param name="ThumbnailMode"><c>INTERVAL</c> or <c>DISABLED</c>.</param>
/// <param name="ThumbnailStorage"><c>SEQUENTIAL</c> and/or <c>LATEST</c>.</param>
public sealed record RecordingPlan(
    string Prefix,
    IReadOnlyList<KeyValuePair<string, string>> Subject,
    DateTimeOffset StartedAt,
    string MediaTypes,
    int SegmentSeconds,
    string ThumbnailMode,
    int ThumbnailIntervalSeconds,
    IReadOnlyList<string> ThumbnailStorage);

/// <summary>
/// The S3 layout IVS writes under a recording's prefix (Amazon IVS Real-Time User Guide, "Individual Participant
/// Recording" and "Composite Recording"; the metadata JSON follows the documented auto-record-to-S3 schema):
/// <code>
/// &lt;prefix&gt;/events/recording-started.json              when the recording starts
/// &lt;prefix&gt;/events/recording-ended.json | recording-failed.json
/// &lt;prefix&gt;/media/hls/multivariant.m3u8                  → high/playlist.m3u8 (relative)
/// &lt;prefix&gt;/media/hls/high/playlist.m3u8                 VOD playlist → 0.ts, 1.ts, … (relative)
/// &lt;prefix&gt;/media/thumbnails/high/0.jpg, 1.jpg, …         thumbnails INTERVAL + SEQUENTIAL
/// &lt;prefix&gt;/media/latest_thumbnail/high/thumb.jpg        thumbnails INTERVAL + LATEST
/// </code>
/// The media are stand-ins: at most <see cref="MaxSegments"/> segments of MPEG-TS null packets (valid transport stream,
/// no picture) and a mid-grey 8×8 baseline JPEG, so a playlist, every segment it names and every thumbnail exist and load.
/// </summary>
public static class RecordingLayout
{
    public const string Rendition = "high";
    public const int MaxSegments = 5;
    public const int MaxThumbnails = 5;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A mid-grey 8×8 baseline JPEG: DC-only scan, one-code Huffman tables, quantisation of ones.</summary>
    public static ReadOnlyMemory<byte> Thumbnail { get; } = GreyJpeg();

    /// <summary>Two MPEG-TS null packets (PID 0x1FFF): the smallest transport stream a demuxer accepts.</summary>
    public static ReadOnlyMemory<byte> Segment { get; } = NullPackets(2);

    /// <summary>What IVS writes when the recording starts.</summary>
    public static IReadOnlyList<RecordingObject> Started(RecordingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [Metadata(plan, "recording-started.json", "RECORDING_STARTED", endedAt: null)];
    }

    /// <summary>What IVS writes when the recording ends: the media, the thumbnails, then recording-ended.json.</summary>
    public static IReadOnlyList<RecordingObject> Ended(RecordingPlan plan, DateTimeOffset endedAt)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var objects = new List<RecordingObject>();
        var seconds = Math.Max((endedAt - plan.StartedAt).TotalSeconds, 1);
        if (plan.MediaTypes != "NONE")
        {
            var audioOnly = plan.MediaTypes == "AUDIO_ONLY";
            var stream = audioOnly
                ? "#EXT-X-STREAM-INF:BANDWIDTH=160000,CODECS=\"mp4a.40.2\""
                : "#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\"";
            objects.Add(Text(plan, "media/hls/multivariant.m3u8",
                $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n{stream}\n{Rendition}/playlist.m3u8\n"));

            var count = Math.Clamp((int)Math.Ceiling(seconds / plan.SegmentSeconds), 1, MaxSegments);
            var each = seconds / count;
            var playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n")
                .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{(int)Math.Ceiling(each)}\n")
                .Append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n");
            for (var i = 0; i < count; i++)
            {
                playlist.Append(CultureInfo.InvariantCulture, $"#EXTINF:{each:0.000},\n{i}.ts\n");
                objects.Add(new RecordingObject($"{plan.Prefix}/media/hls/{Rendition}/{i}.ts", Segment, "video/MP2T"));
            }

            objects.Add(Text(plan, $"media/hls/{Rendition}/playlist.m3u8", playlist.Append("#EXT-X-ENDLIST\n").ToString()));
            if (!audioOnly && plan.ThumbnailMode == "INTERVAL")
            {
                if (plan.ThumbnailStorage.Contains("SEQUENTIAL"))
                {
                    var thumbnails = Math.Clamp((int)(seconds / plan.ThumbnailIntervalSeconds) + 1, 1, MaxThumbnails);
                    for (var i = 0; i < thumbnails; i++)
                    {
                        objects.Add(new RecordingObject($"{plan.Prefix}/media/thumbnails/{Rendition}/{i}.jpg", Thumbnail, "image/jpeg"));
                    }
                }

                if (plan.ThumbnailStorage.Contains("LATEST"))
                {
                    var latest = $"{plan.Prefix}/media/latest_thumbnail/{Rendition}/thumb.jpg";
                    objects.Add(new RecordingObject(latest, Thumbnail, "image/jpeg"));
                }
            }
        }

        objects.Add(Metadata(plan, "recording-ended.json", "RECORDING_ENDED", endedAt));
        return objects;
    }

    /// <summary>What IVS writes when the recording fails after it started.</summary>
    public static RecordingObject Failed(RecordingPlan plan, DateTimeOffset endedAt) =>
        Metadata(plan, "recording-failed.json", "RECORDING_ENDED_WITH_FAILURE", endedAt);

    private static RecordingObject Metadata(RecordingPlan plan, string name, string status, DateTimeOffset? endedAt)
    {
        var metadata = new JsonObject { ["version"] = "v1" };
        foreach (var (key, value) in plan.Subject)
        {
            metadata[key] = value;
        }

        metadata["recording_started_at"] = Time(plan.StartedAt);
        if (endedAt is { } ended)
        {
            metadata["recording_ended_at"] = Time(ended);
        }

        metadata["recording_status"] = status;
        var media = new JsonObject();
        if (plan.MediaTypes != "NONE")
        {
            var hls = new JsonObject();
            if (endedAt is { } end)
            {
                hls["duration_ms"] = (long)Math.Max((end - plan.StartedAt).TotalMilliseconds, 0);
            }

            hls["path"] = "media/hls";
            hls["playlist"] = "multivariant.m3u8";
            var rendition = new JsonObject { ["path"] = Rendition, ["playlist"] = "playlist.m3u8" };
            if (plan.MediaTypes == "AUDIO_VIDEO")
            {
                rendition["resolution_width"] = 1280;
                rendition["resolution_height"] = 720;
            }

            hls["renditions"] = new JsonArray(rendition);
            media["hls"] = hls;
        }

        if (plan.MediaTypes == "AUDIO_VIDEO" && plan.ThumbnailMode == "INTERVAL")
        {
            media["thumbnails"] = new JsonObject
            {
                ["path"] = "media/thumbnails",
                ["renditions"] = new JsonArray(
                    new JsonObject { ["path"] = Rendition, ["resolution_width"] = 8, ["resolution_height"] = 8 }),
            };
        }

        metadata["media"] = media;
        return Text(plan, "events/" + name, metadata.ToJsonString(Indented), "application/json");
    }

    private static RecordingObject Text(RecordingPlan plan, string path, string text, string type = "application/x-mpegURL") =>
        new($"{plan.Prefix}/{path}", Encoding.UTF8.GetBytes(text), type);

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static byte[] NullPackets(int count)
    {
        var packets = new byte[188 * count];
        Array.Fill(packets, (byte)0xFF);
        for (var i = 0; i < count; i++)
        {
            // Sync byte, PID 0x1FFF (null packet), payload only, continuity counter 0.
            packets[188 * i] = 0x47;
            packets[(188 * i) + 1] = 0x1F;
            packets[(188 * i) + 2] = 0xFF;
            packets[(188 * i) + 3] = 0x10;
        }

        return packets;
    }

    private static byte[] GreyJpeg()
    {
        // One 8x8 block of level 128: after the level shift every coefficient is 0, so the scan is the DC category 0
        // (code "0") and an end-of-block (code "0"), padded with ones: 0x3F.
        byte[] huffmanOneCode = [0x01, .. new byte[15], 0x00];
        return
        [
            0xFF, 0xD8,
            0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
            0xFF, 0xDB, 0x00, 0x43, 0x00, .. Enumerable.Repeat((byte)1, 64),
            0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00,
            0xFF, 0xC4, 0x00, 0x14, 0x00, .. huffmanOneCode,
            0xFF, 0xC4, 0x00, 0x14, 0x10, .. huffmanOneCode,
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,
            0x3F,
            0xFF, 0xD9,
        ];
    }
}
