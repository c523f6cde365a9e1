using System.Text.Json;
using System.Text.RegularExpressions;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Simulation;

/// <summary>
/// What the emulator writes for a stage that records (issue 14): IVS's S3 layout under the prefix its events name, written
/// before the event that announces it; a bucket that cannot be written is a recording failure.
/// </summary>
public sealed class RecordingObjectsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task A_recorded_publish_writes_the_started_event_file_then_HLS_thumbnails_and_the_ended_file_under_the_prefix()
    {
        var stageArn = await Client.CreateStageAsync();
        var storageArn = await emulator.EnableRecordingAsync(stageArn, "my-recordings");
        await Client.OkAsync("UpdateStage", new
        {
            arn = stageArn,
            autoParticipantRecordingConfiguration = new
            {
                storageConfigurationArn = storageArn,
                thumbnailConfiguration = new
                {
                    recordingMode = "INTERVAL",
                    targetIntervalSeconds = 5,
                    storage = new[] { "SEQUENTIAL", "LATEST" },
                },
                hlsConfiguration = new { targetSegmentDurationSeconds = 6 },
            },
        });
        var joined = await Client.JoinAsync(stageArn);
        var participantId = joined.GetProperty("participantId").GetString()!;
        var sessionId = joined.GetProperty("sessionId").GetString()!;

        await Client.ActAsync(stageArn, participantId, "publish");
        await emulator.RecordingsWrittenAsync();
        var start = emulator.Events.EventsFor(stageArn).Single(e => e.EventName == StageEvents.RecordingStart);
        var prefix = start.Detail["recording_s3_key_prefix"]!.GetValue<string>();
        Assert.Equal(["events/recording-started.json"], emulator.Recordings.Under("my-recordings", prefix));
        Assert.Empty(emulator.Recordings.Objects[("my-recordings", $"{prefix}/events/recording-started.json")].RecordingEventsBefore);

        emulator.Advance(TimeSpan.FromSeconds(13));
        await Client.ActAsync(stageArn, participantId, "unpublish");
        await emulator.RecordingsWrittenAsync();

        // 13 s: three segments of at most 6 s, thumbnails at 0, 5 and 10 s, and the latest one.
        Assert.Equal(
            [
                "events/recording-ended.json", "events/recording-started.json",
                "media/hls/high/0.ts", "media/hls/high/1.ts", "media/hls/high/2.ts", "media/hls/high/playlist.m3u8",
                "media/hls/multivariant.m3u8", "media/latest_thumbnail/high/thumb.jpg",
                "media/thumbnails/high/0.jpg", "media/thumbnails/high/1.jpg", "media/thumbnails/high/2.jpg",
            ],
            emulator.Recordings.Under("my-recordings", prefix));
        Assert.All(
            emulator.Recordings.Under("my-recordings", prefix).Where(k => k != "events/recording-started.json"),
            key => Assert.Equal(
                ["Recording Start"], emulator.Recordings.Objects[("my-recordings", $"{prefix}/{key}")].RecordingEventsBefore));
        Assert.Equal(
            ["Recording Start", "Recording End"],
            emulator.Events.EventsFor(stageArn)
                .Where(e => e.DetailType == IvsEvent.ParticipantRecordingStateChange).Select(e => e.EventName));

        // Every playlist names what it plays by a relative path that exists.
        var multivariant = emulator.Recordings.Text("my-recordings", $"{prefix}/media/hls/multivariant.m3u8");
        Assert.StartsWith("#EXTM3U\n", multivariant, StringComparison.Ordinal);
        Assert.Equal(["high/playlist.m3u8"], Uris(multivariant));
        var rendition = emulator.Recordings.Text("my-recordings", $"{prefix}/media/hls/high/playlist.m3u8");
        Assert.Equal(["0.ts", "1.ts", "2.ts"], Uris(rendition));
        Assert.Contains("#EXT-X-TARGETDURATION:5\n", rendition, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(rendition, @"#EXTINF:4\.333,"));
        Assert.EndsWith("#EXT-X-ENDLIST\n", rendition, StringComparison.Ordinal);
        var segment = emulator.Recordings.Objects[("my-recordings", $"{prefix}/media/hls/high/0.ts")];
        Assert.Equal(("video/MP2T", 0, 0x47), (segment.ContentType, segment.Body.Length % 188, (int)segment.Body[0]));
        var thumbnail = emulator.Recordings.Objects[("my-recordings", $"{prefix}/media/thumbnails/high/0.jpg")];
        Assert.Equal(("image/jpeg", 0xFF, 0xD8, 0xD9), (thumbnail.ContentType, thumbnail.Body[0], thumbnail.Body[1], thumbnail.Body[^1]));

        using var ended = JsonDocument.Parse(emulator.Recordings.Text("my-recordings", $"{prefix}/events/recording-ended.json"));
        var metadata = ended.RootElement;
        Assert.Equal(stageArn, metadata.GetProperty("stage_arn").GetString());
        Assert.Equal(sessionId, metadata.GetProperty("session_id").GetString());
        Assert.Equal(participantId, metadata.GetProperty("participant_id").GetString());
        Assert.Equal("RECORDING_ENDED", metadata.GetProperty("recording_status").GetString());
        Assert.Equal(13_000, metadata.GetProperty("media").GetProperty("hls").GetProperty("duration_ms").GetInt64());
        Assert.Equal("multivariant.m3u8", metadata.GetProperty("media").GetProperty("hls").GetProperty("playlist").GetString());
    }

    [Fact]
    public async Task Without_thumbnails_or_with_audio_only_no_thumbnail_is_written_and_a_short_publish_has_one_segment()
    {
        var stageArn = await Client.CreateStageAsync();
        var storageArn = await emulator.EnableRecordingAsync(stageArn, "my-recordings");
        await Client.OkAsync("UpdateStage", new
        {
            arn = stageArn,
            autoParticipantRecordingConfiguration = new { storageConfigurationArn = storageArn, mediaTypes = new[] { "AUDIO_ONLY" } },
        });
        var participantId = await Client.JoinIdAsync(stageArn);

        await Client.ActAsync(stageArn, participantId, "publish");
        await Client.ActAsync(stageArn, participantId, "unpublish");
        await emulator.RecordingsWrittenAsync();

        var prefix = emulator.Events.EventsFor(stageArn).Last().Detail["recording_s3_key_prefix"]!.GetValue<string>();
        Assert.Equal(
            [
                "events/recording-ended.json", "events/recording-started.json", "media/hls/high/0.ts", "media/hls/high/playlist.m3u8",
                "media/hls/multivariant.m3u8",
            ],
            emulator.Recordings.Under("my-recordings", prefix));
        Assert.Contains("CODECS=\"mp4a.40.2\"", emulator.Recordings.Text("my-recordings", $"{prefix}/media/hls/multivariant.m3u8"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_makes_the_recording_fail_to_start_with_its_location_in_the_event()
    {
        var stageArn = await Client.CreateStageAsync();
        await emulator.EnableRecordingAsync(stageArn, "no-such-bucket");
        var joined = await Client.JoinAsync(stageArn);
        var participantId = joined.GetProperty("participantId").GetString()!;

        await Client.ActAsync(stageArn, participantId, "publish");
        await emulator.RecordingsWrittenAsync();

        Assert.Equal("FAILED", (await Client.ParticipantAsync(stageArn, joined.GetProperty("sessionId").GetString()!, participantId))
            .GetProperty("recordingState").GetString());
        var failure = emulator.Events.EventsFor(stageArn).Last();
        Assert.Equal((IvsEvent.ParticipantRecordingStateChange, "Recording Start Failure"), (failure.DetailType, failure.EventName));
        Assert.Equal("no-such-bucket", failure.Detail["recording_s3_bucket_name"]!.GetValue<string>());
        var prefix = failure.Detail["recording_s3_key_prefix"]!.GetValue<string>();
        Assert.StartsWith($"{StageScenario.StageId(stageArn)}/{joined.GetProperty("sessionId").GetString()}/{participantId}/", prefix,
            StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.Recordings.Objects.Keys, k => k.Bucket == "no-such-bucket");

        // Nothing was recording, so nothing ends.
        await Client.ActAsync(stageArn, participantId, "unpublish");
        await emulator.RecordingsWrittenAsync();
        Assert.Equal("Recording Start Failure", emulator.Events.EventsFor(stageArn).Last(
            e => e.DetailType == IvsEvent.ParticipantRecordingStateChange).EventName);
    }

    [Fact]
    public async Task A_recording_that_fails_after_it_started_writes_recording_failed_json()
    {
        var stageArn = await Client.CreateStageAsync();
        await emulator.EnableRecordingAsync(stageArn, "my-recordings");
        var participantId = await Client.JoinIdAsync(stageArn);
        await Client.ActAsync(stageArn, participantId, "publish");

        await Client.ActAsync(stageArn, participantId, "recording-end-failure");
        await emulator.RecordingsWrittenAsync();

        var prefix = emulator.Events.EventsFor(stageArn).Last().Detail["recording_s3_key_prefix"]!.GetValue<string>();
        Assert.Equal(["events/recording-failed.json", "events/recording-started.json"], emulator.Recordings.Under("my-recordings", prefix));
        using var failed = JsonDocument.Parse(emulator.Recordings.Text("my-recordings", $"{prefix}/events/recording-failed.json"));
        Assert.Equal("RECORDING_ENDED_WITH_FAILURE", failed.RootElement.GetProperty("recording_status").GetString());
    }

    private static List<string> Uris(string playlist) =>
        playlist.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
}
