using System.Text.Json;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Operations;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

/// <summary>
/// Composite recording (issue 14): an S3 destination writes IVS's recording layout under the recordingPrefix GetComposition
/// reports, Destination End follows its objects, and a bucket that refuses the writes is Destination Failure.
/// </summary>
public sealed class CompositionRecordingTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;
    private TimeSpan TransitionDelay => emulator.Emulator.Options.CompositionTransitionDelay;

    [Fact]
    public async Task An_S3_destination_writes_started_then_HLS_thumbnails_and_ended_under_its_prefix_before_Destination_End()
    {
        var stageArn = await Client.CreateStageAsync();
        var arn = await StartAsync(stageArn, "my-recordings");
        emulator.Advance(TransitionDelay);
        var prefix = await PrefixAsync(arn);
        Assert.Equal(["events/recording-started.json"], emulator.Recordings.Under("my-recordings", prefix));

        emulator.Advance(TimeSpan.FromSeconds(10));
        await Client.OkAsync("StopComposition", new { arn });
        emulator.Advance(TransitionDelay);

        // 10 s + the stop's transition, at most 6 s a segment; a thumbnail every 4 s (at most 5) and the latest one.
        var keys = emulator.Recordings.Under("my-recordings", prefix);
        Assert.Contains("events/recording-ended.json", keys);
        Assert.Contains("media/hls/multivariant.m3u8", keys);
        Assert.Contains("media/hls/high/playlist.m3u8", keys);
        Assert.Contains("media/hls/high/0.ts", keys);
        Assert.Contains("media/thumbnails/high/0.jpg", keys);
        Assert.Contains("media/latest_thumbnail/high/thumb.jpg", keys);
        var rendition = emulator.Recordings.Text("my-recordings", $"{prefix}/media/hls/high/playlist.m3u8");
        var segments = rendition.Split('\n').Where(l => l.EndsWith(".ts", StringComparison.Ordinal)).ToList();
        Assert.All(segments, s => Assert.Contains($"media/hls/high/{s}", keys));
        using var ended = JsonDocument.Parse(emulator.Recordings.Text("my-recordings", $"{prefix}/events/recording-ended.json"));
        Assert.Equal(arn, ended.RootElement.GetProperty("composition_arn").GetString());
        Assert.Equal(stageArn, ended.RootElement.GetProperty("stage_arn").GetString());
        Assert.Equal("RECORDING_ENDED", ended.RootElement.GetProperty("recording_status").GetString());
        var destinationId = (await GetAsync(arn)).GetProperty("destinations")[0].GetProperty("id").GetString();
        Assert.Equal(destinationId, ended.RootElement.GetProperty("destination_id").GetString());

        Assert.Equal(["Session Start", "Destination Start", "Destination End", "Session End"], EventNames(arn));
        Assert.Equal("STOPPED", (await GetAsync(arn)).GetProperty("destinations")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_bucket_that_refuses_the_writes_fails_the_destination_and_its_end_is_not_reported()
    {
        var stageArn = await Client.CreateStageAsync();
        var arn = await StartAsync(stageArn, "no-such-bucket");
        emulator.Advance(TransitionDelay);

        var destination = (await GetAsync(arn)).GetProperty("destinations")[0];
        Assert.Equal("FAILED", destination.GetProperty("state").GetString());
        var failure = emulator.Events.Recent().Last(e => e.Resources[0] == arn);
        Assert.Equal("Destination Failure", failure.EventName);
        Assert.Equal(
            destination.GetProperty("id").GetString(), failure.Detail[CompositionOperations.DestinationIdField]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(failure.Detail["reason"]!.GetValue<string>()));

        await Client.OkAsync("StopComposition", new { arn });
        emulator.Advance(TransitionDelay);
        Assert.Equal(["Session Start", "Destination Start", "Destination Failure", "Session End"], EventNames(arn));
        Assert.Equal("FAILED", (await GetAsync(arn)).GetProperty("destinations")[0].GetProperty("state").GetString());
        Assert.DoesNotContain(emulator.Recordings.Objects.Keys, k => k.Bucket == "no-such-bucket");
    }

    private async Task<string> StartAsync(string stageArn, string bucket)
    {
        var storage = await Client.OkAsync("CreateStorageConfiguration", new { s3 = new { bucketName = bucket } });
        var storageArn = storage.GetProperty("storageConfiguration").GetProperty("arn").GetString()!;
        var json = await Client.OkAsync("StartComposition", new
        {
            stageArn,
            destinations = new[]
            {
                new
                {
                    s3 = new
                    {
                        storageConfigurationArn = storageArn,
                        encoderConfigurationArns = new[] { await Client.AnyEncoderConfigurationAsync() },
                        recordingConfiguration = new { hlsConfiguration = new { targetSegmentDurationSeconds = 6 } },
                        thumbnailConfigurations = new[] { new { targetIntervalSeconds = 4, storage = new[] { "SEQUENTIAL", "LATEST" } } },
                    },
                },
            },
        });
        return json.GetProperty("composition").GetProperty("arn").GetString()!;
    }

    private async Task<JsonElement> GetAsync(string arn) =>
        (await Client.OkAsync("GetComposition", new { arn })).GetProperty("composition");

    private async Task<string> PrefixAsync(string arn) =>
        (await GetAsync(arn)).GetProperty("destinations")[0].GetProperty("detail").GetProperty("s3").GetProperty("recordingPrefix")
            .GetString()!;

    private List<string?> EventNames(string arn) =>
        emulator.Events.Recent().Where(e => e.Resources[0] == arn && e.DetailType == IvsEvent.CompositionStateChange)
            .Select(e => e.EventName).ToList();
}
