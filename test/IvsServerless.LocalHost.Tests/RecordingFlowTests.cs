using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using IvsServerless.Local;
using IvsServerless.LocalHost.Tests.Support;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// Recordings end to end on the local host (issue 14): a stage that records, a device that publishes and leaves through
/// <c>/_sim/</c>, the recording listed by the API once the events went through the bus, and what IVS writes really in
/// the local S3 server — the playlists, every segment they name and the thumbnails — readable only with a signature.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class RecordingFlowTests(LocalHostFixture local)
{
    [Fact]
    public async Task A_recorded_publish_is_listed_ENDED_and_its_playlist_segments_and_thumbnails_are_in_the_local_S3_server()
    {
        var created = await local.PostAsync("/stages", "alice", """
            {"name":"recorded","visibility":"public","recording":{"mode":"individual",
             "thumbnailConfiguration":{"recordingMode":"INTERVAL","targetIntervalSeconds":1,"storage":["SEQUENTIAL","LATEST"]},
             "hlsConfiguration":{"targetSegmentDurationSeconds":2}}}
            """);
        Assert.True(created.Status == 201, created.ToString());
        var stageId = created.Json.GetProperty("stageId").GetString()!;

        var minted = await local.PostAsync($"/stages/{stageId}/participant-tokens", "alice");
        Assert.True(minted.Status == 201, minted.ToString());
        var joined = await local.SimAsync("join", JsonSerializer.Serialize(new { token = minted.Json.GetProperty("token").GetString() }));
        Assert.True(joined.Status == 200, joined.ToString());
        var participantId = joined.Json.GetProperty("participantId").GetString()!;
        var sessionId = joined.Json.GetProperty("sessionId").GetString()!;
        var published = await local.SimAsync($"stages/{stageId}/participants/{participantId}/publish");
        Assert.True(published.Status == 200, published.ToString());
        var left = await local.SimAsync($"stages/{stageId}/participants/{participantId}/leave");
        Assert.True(left.Status == 200, left.ToString());

        var listed = await LocalHostFixture.EventuallyAsync(
            () => local.GetAsync($"/stages/{stageId}/sessions/{sessionId}/recordings", "bob"),
            reply => reply.Status == 200
                && reply.Json.GetProperty("items").EnumerateArray().Any(r => r.GetProperty("state").GetString() == "ENDED"),
            "the recording is listed ENDED");
        var recording = Assert.Single(listed.Json.GetProperty("items").EnumerateArray());
        Assert.Equal(participantId, recording.GetProperty("participantId").GetString());
        Assert.Equal("alice", recording.GetProperty("userId").GetString());
        Assert.Equal(LocalHostOptions.RecordingsBucket, recording.GetProperty("s3BucketName").GetString());
        var prefix = recording.GetProperty("s3KeyPrefix").GetString()!;
        Assert.StartsWith($"{stageId}/{sessionId}/{participantId}/", prefix, StringComparison.Ordinal);

        using var s3 = new AmazonS3Client(
            new BasicAWSCredentials("local", "local"), S3LocalEngine.ClientConfig(local.Host.S3Url.ToString()));
        async Task<string> Read(string key)
        {
            using var got = await s3.GetObjectAsync(LocalHostOptions.RecordingsBucket, key);
            using var reader = new StreamReader(got.ResponseStream);
            return await reader.ReadToEndAsync();
        }

        // The multivariant playlist, each rendition playlist it names, and each segment those name, by relative path.
        var hls = $"{prefix}/media/hls";
        var renditions = Uris(await Read($"{hls}/multivariant.m3u8"));
        Assert.NotEmpty(renditions);
        foreach (var rendition in renditions)
        {
            var folder = $"{hls}/{rendition}"[..$"{hls}/{rendition}".LastIndexOf('/')];
            var segments = Uris(await Read($"{hls}/{rendition}"));
            Assert.NotEmpty(segments);
            foreach (var segment in segments)
            {
                var metadata = await s3.GetObjectMetadataAsync(LocalHostOptions.RecordingsBucket, $"{folder}/{segment}");
                Assert.True(metadata.ContentLength > 0, segment);
            }
        }

        var objects = await s3.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = LocalHostOptions.RecordingsBucket, Prefix = prefix + "/" });
        var keys = objects.S3Objects.Select(o => o.Key[(prefix.Length + 1)..]).ToList();
        Assert.Contains("events/recording-started.json", keys);
        Assert.Contains("events/recording-ended.json", keys);
        Assert.Contains("media/latest_thumbnail/high/thumb.jpg", keys);
        Assert.Contains(
            keys, k => k.StartsWith("media/thumbnails/high/", StringComparison.Ordinal) && k.EndsWith(".jpg", StringComparison.Ordinal));
        using (var ended = JsonDocument.Parse(await Read($"{prefix}/events/recording-ended.json")))
        {
            Assert.Equal("RECORDING_ENDED", ended.RootElement.GetProperty("recording_status").GetString());
            Assert.Equal(participantId, ended.RootElement.GetProperty("participant_id").GetString());
        }

        // The bucket is private: without a signature nothing is served.
        using var anonymous = await local.Http.GetAsync(
            new Uri(local.Host.S3Url, $"{LocalHostOptions.RecordingsBucket}/{hls}/multivariant.m3u8"));
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
    }

    private static List<string> Uris(string playlist) =>
        playlist.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
}
