using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Events;
using IvsServerless.Core.Recordings;
using IvsServerless.Testing.ApiSupport;

namespace IvsServerless.Api.Tests;

/// <summary>
/// Playback URLs of the recordings list, the playlist route players call without a bearer token, and DELETE of a recording,
/// over the in-memory bucket (whose presigned URLs expire and refuse tampering as S3's do).
/// </summary>
public sealed class RecordingPlaybackTests : IAsyncLifetime
{
    private const string Session = "st-RECORDED0001";

    /// <summary>The API's base URL as the requests of ApiRequest reach it.</summary>
    private const string Api = "https://api1.execute-api.us-east-1.amazonaws.com/";
    private const string Multivariant = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2500000\nhigh/playlist.m3u8\n";
    private const string Rendition = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:6.0,\n0.ts\n#EXTINF:2.5,\n1.ts\n"
        + "#EXT-X-ENDLIST\n";

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
    private ApiHarness _api = null!;
    private int _ids;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_finished_recording_plays_from_its_url_alone_segments_and_thumbnails_included()
    {
        var (stageId, prefix) = await RecordedStageAsync("private", ended: true);
        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/{Session}/recordings").As("ivan"));

        var item = Assert.Single(listed.Json.GetProperty("items").EnumerateArray());
        var playbackUrl = item.GetProperty("playbackUrl").GetString()!;
        Assert.StartsWith($"{Api}recordings/playlist?key=", playbackUrl, StringComparison.Ordinal);
        var expiresAt = item.GetProperty("playbackExpiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        var thumbnails = item.GetProperty("thumbnailUrls").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(2, thumbnails.Count);
        Assert.Equal([$"{prefix}media/thumbnails/high/1.jpg", $"{prefix}media/thumbnails/high/2.jpg"], thumbnails.Select(KeyOf));
        Assert.All(thumbnails, t => Assert.Equal(SignedReadStatus.Ok, ReadPresigned(t)));

        // No bearer token: players cannot send one. The multivariant playlist sends the player back here for the rendition.
        var multivariant = await _api.SendAsync(FromUrl(playbackUrl));
        Assert.Equal(200, multivariant.Status);
        Assert.Equal("application/vnd.apple.mpegurl", multivariant.Headers["content-type"]);
        Assert.Equal("no-store", multivariant.Headers["cache-control"]);
        var renditionUrl = multivariant.Body.Split('\n').Single(l => l.StartsWith("https://", StringComparison.Ordinal));
        Assert.StartsWith(
            $"{Api}recordings/playlist?key=" + Uri.EscapeDataString($"{prefix}media/hls/high/playlist.m3u8"),
            renditionUrl, StringComparison.Ordinal);

        var rendition = await _api.SendAsync(FromUrl(renditionUrl));
        Assert.Equal(200, rendition.Status);
        var segments = rendition.Body.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal([$"{prefix}media/hls/high/0.ts", $"{prefix}media/hls/high/1.ts"], segments.Select(KeyOf));
        Assert.All(segments, s => Assert.StartsWith(InMemoryRecordingObjects.Host, s, StringComparison.Ordinal));
        Assert.All(segments, s => Assert.Equal(SignedReadStatus.Ok, ReadPresigned(s)));
        Assert.Contains("#EXT-X-ENDLIST", rendition.Body, StringComparison.Ordinal);

        // Nothing derived from the playback URL outlives it.
        Assert.All(segments.Append(renditionUrl), u => Assert.Equal(Query(playbackUrl)["X-Test-Expires"], Query(u)["X-Test-Expires"]));
    }

    [Fact]
    public async Task A_tampered_expired_or_non_playlist_url_is_refused_and_reads_nothing()
    {
        var (stageId, prefix) = await RecordedStageAsync("public", ended: true);
        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/{Session}/recordings").As("alice"));
        var playbackUrl = listed.Json.GetProperty("items")[0].GetProperty("playbackUrl").GetString()!;

        var tampered = FromUrl(playbackUrl).Query("key", $"{prefix}media/hls/high/playlist.m3u8");
        Assert.Equal((403, "playback-url-rejected"), Answer(await _api.SendAsync(tampered)));
        var forged = FromUrl(playbackUrl).Query("X-Test-Signature", new string('0', 64));
        Assert.Equal((403, "playback-url-rejected"), Answer(await _api.SendAsync(forged)));

        var past = await _api.Recordings.PresignGetAsync(
            $"{prefix}media/hls/multivariant.m3u8", DateTimeOffset.UtcNow.AddSeconds(-1), default);
        var expired = FromUrl($"{Api}recordings/playlist{past.Query}")
            .Query("key", $"{prefix}media/hls/multivariant.m3u8");
        Assert.Equal((403, "playback-url-rejected"), Answer(await _api.SendAsync(expired)));

        var segment = FromUrl(playbackUrl).Query("key", $"{prefix}media/hls/high/0.ts");
        var notPlaylist = await _api.SendAsync(segment);
        Assert.Equal(400, notPlaylist.Status);
        Assert.Equal(["key"], notPlaylist.ErrorFields);
    }

    [Fact]
    public async Task Recordings_still_recording_failed_or_elsewhere_have_no_playback()
    {
        var (stageId, _) = await RecordedStageAsync("public", ended: false);
        await RecordingEventAsync(stageId, "pBOB00000001", "Recording Start Failure", 20, "", "");
        await RecordingEventAsync(stageId, "pCAROL000001", "Recording Start", 30, "someone-elses-bucket", "x/y");
        await RecordingEventAsync(stageId, "pCAROL000001", "Recording End", 40, "someone-elses-bucket", "x/y");

        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/{Session}/recordings").As("alice"));

        var items = listed.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.False(i.TryGetProperty("playbackUrl", out _)));
        Assert.All(items, i => Assert.False(i.TryGetProperty("thumbnailUrls", out _)));
    }

    [Fact]
    public async Task The_owner_deletes_a_recording_s_objects_and_it_leaves_the_list()
    {
        var (stageId, prefix) = await RecordedStageAsync("private", ended: true, coHost: "carol");
        var other = await _api.CreateStageAsync("zed");
        _api.Recordings.Put($"{other}/elsewhere/keep.json", "{}");
        var path = $"/stages/{stageId}/recordings/{Session}~pALICE000001";

        Assert.Equal((403, "owner-only"), Answer(await _api.SendAsync(ApiRequest.Delete(path).As("carol"))));
        Assert.Equal((403, "owner-only"), Answer(await _api.SendAsync(ApiRequest.Delete(path).As("ivan"))));
        Assert.Equal((404, "stage-not-found"), Answer(await _api.SendAsync(ApiRequest.Delete(path).As("mallory"))));
        Assert.Equal(401, (await _api.SendAsync(ApiRequest.Delete(path).As(null))).Status);
        Assert.Equal(8, _api.Recordings.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal)));

        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete(path).As("alice"))).Status);

        // Only that recording's prefix: not the next recording whose id extends it, nor another stage's objects.
        Assert.Equal(
            new[] { $"{stageId}/{Session}/pALICE000001/rec10/media/thumbnails/high/1.jpg", $"{other}/elsewhere/keep.json" }.Order(),
            _api.Recordings.Keys.Order());
        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/{Session}/recordings").As("alice"));
        Assert.Empty(listed.Json.GetProperty("items").EnumerateArray());
        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete(path).As("alice"))).Status);
        Assert.Equal((404, "recording-not-found"), Answer(await _api.SendAsync(
            ApiRequest.Delete($"/stages/{stageId}/recordings/{Session}~pNOBODY00001").As("alice"))));
        Assert.Equal(400, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/recordings/not-an-id").As("alice"))).Status);
    }

    [Fact]
    public async Task A_failed_deletion_keeps_the_recording_listed_and_says_so_and_a_retry_finishes_it()
    {
        var (stageId, prefix) = await RecordedStageAsync("public", ended: true);
        var path = $"/stages/{stageId}/recordings/{Session}~pALICE000001";
        _api.Recordings.FailDeletesAfter = 3;

        var failed = await _api.SendAsync(ApiRequest.Delete(path).As("alice"));

        Assert.Equal((502, "recording-delete-failed"), Answer(failed));
        Assert.Contains("retry", failed.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, _api.Recordings.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal)));
        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/{Session}/recordings").As("alice"));
        Assert.Single(listed.Json.GetProperty("items").EnumerateArray());

        _api.Recordings.FailDeletesAfter = null;
        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete(path).As("alice"))).Status);
        Assert.DoesNotContain(_api.Recordings.Keys, k => k.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recording_still_being_written_cannot_be_deleted()
    {
        var (stageId, prefix) = await RecordedStageAsync("public", ended: false);

        var refused = await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/recordings/{Session}~pALICE000001").As("alice"));

        Assert.Equal((409, "recording-active"), Answer(refused));
        Assert.Equal(8, _api.Recordings.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_composition_started_through_the_API_keeps_its_S3_destination_prefix_and_the_live_session()
    {
        var stageId = await _api.CreateStageAsync("alice");
        await _api.SetLiveAsync(stageId, Session);

        var started = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/compositions").As("alice"));

        Assert.Equal(201, started.Status);
        var compositionId = started.Json.GetProperty("compositionId").GetString()!;
        var target = Assert.Single(await _api.StoredCompositionsAsync(stageId)).Recording!;
        Assert.Equal(Session, target.SessionId);
        Assert.Matches("^[a-zA-Z0-9]{12}$", target.DestinationId);
        Assert.Equal($"{stageId}/{compositionId}/{target.DestinationId}/composite", target.S3KeyPrefix);
    }

    [Fact]
    public async Task A_compositions_finished_recording_is_listed_beside_the_participants_and_plays()
    {
        var (stageId, _) = await RecordedStageAsync("private", ended: true, coHost: "carol");
        var prefix = await CompositionRecordingAsync(stageId, "CompAAAAAAA1", "STOPPED");

        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/{Session}/recordings").As("ivan"));

        var items = listed.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(["composition", "participant"], items.Select(i => i.GetProperty("kind").GetString()).Order());
        var item = Assert.Single(items, i => i.GetProperty("kind").GetString() == "composition");
        Assert.Equal(($"{Session}~composition~CompAAAAAAA1", "CompAAAAAAA1", "alice", "ENDED", 540_000L), (
            item.GetProperty("recordingId").GetString(), item.GetProperty("compositionId").GetString(),
            item.GetProperty("userId").GetString(), item.GetProperty("state").GetString(), item.GetProperty("durationMs").GetInt64()));
        Assert.False(item.TryGetProperty("participantId", out _));
        Assert.Equal((ApiHarness.RecordingsBucket, prefix),
            (item.GetProperty("s3BucketName").GetString(), item.GetProperty("s3KeyPrefix").GetString() + "/"));
        Assert.Empty(item.GetProperty("thumbnailUrls").EnumerateArray());

        var multivariant = await _api.SendAsync(FromUrl(item.GetProperty("playbackUrl").GetString()!));
        Assert.Equal(200, multivariant.Status);
        var renditionUrl = multivariant.Body.Split('\n').Single(l => l.StartsWith("https://", StringComparison.Ordinal));
        var rendition = await _api.SendAsync(FromUrl(renditionUrl));
        Assert.Equal(200, rendition.Status);
        var segments = rendition.Body.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal([$"{prefix}media/hls/high/0.ts", $"{prefix}media/hls/high/1.ts"], segments.Select(KeyOf));
        Assert.All(segments, s => Assert.Equal(SignedReadStatus.Ok, ReadPresigned(s)));
    }

    [Fact]
    public async Task The_owner_deletes_a_compositions_recording_and_an_active_one_is_409()
    {
        var (stageId, participantPrefix) = await RecordedStageAsync("public", ended: true, coHost: "carol");
        var prefix = await CompositionRecordingAsync(stageId, "CompAAAAAAA1", "STOPPED");
        var activePrefix = await CompositionRecordingAsync(stageId, "CompBBBBBBB2", "ACTIVE");
        var path = $"/stages/{stageId}/recordings/{Session}~composition~CompAAAAAAA1";

        Assert.Equal((403, "owner-only"), Answer(await _api.SendAsync(ApiRequest.Delete(path).As("carol"))));
        Assert.Equal((409, "recording-active"), Answer(await _api.SendAsync(
            ApiRequest.Delete($"/stages/{stageId}/recordings/{Session}~composition~CompBBBBBBB2").As("alice"))));
        Assert.Equal((404, "recording-not-found"), Answer(await _api.SendAsync(
            ApiRequest.Delete($"/stages/{stageId}/recordings/{Session}~composition~CompUNKNOWN3").As("alice"))));
        Assert.Equal(400, (await _api.SendAsync(
            ApiRequest.Delete($"/stages/{stageId}/recordings/{Session}~composition~short").As("alice"))).Status);

        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete(path).As("alice"))).Status);

        Assert.DoesNotContain(_api.Recordings.Keys, k => k.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Contains(_api.Recordings.Keys, k => k.StartsWith(activePrefix, StringComparison.Ordinal));
        Assert.Contains(_api.Recordings.Keys, k => k.StartsWith(participantPrefix, StringComparison.Ordinal));
        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/{Session}/recordings").As("alice"));
        Assert.DoesNotContain(listed.Json.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("recordingId").GetString() == $"{Session}~composition~CompAAAAAAA1");
        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete(path).As("alice"))).Status);
    }

    /// <summary>
    /// A composition of alice's on the stage whose S3 destination recorded in <see cref="Session"/> from second 60 to 600 (or
    /// is still recording), as the event pipeline leaves it, with its objects; returns its prefix with a trailing '/'.
    /// </summary>
    private async Task<string> CompositionRecordingAsync(string stageId, string compositionId, string destinationState)
    {
        var storage = (await _api.Ivs.ListStorageConfigurationsAsync(new IvsRealTime.ListStorageConfigurationsRequest()))
            .StorageConfigurations.Single().Arn;
        var prefix = $"{stageId}/{compositionId}/DestAAAAAAA1/composite";
        var stopped = destinationState == "STOPPED";
        await _api.AddStoredCompositionAsync(new Composition(
            $"arn:aws:ivs:us-east-1:123456789012:composition/{compositionId}", stageId, "alice", "key-" + compositionId,
            stopped ? "STOPPED" : "ACTIVE", T0.AddSeconds(50), stopped ? T0.AddSeconds(601) : null,
            Destinations: [new CompositionDestination("DestAAAAAAA1", destinationState, null, T0.AddSeconds(60),
                stopped ? T0.AddSeconds(600) : null)],
            Recording: new CompositionRecordingTarget("DestAAAAAAA1", storage, prefix, Session)));
        foreach (var (key, text) in new[]
        {
            ("events/recording-started.json", "{}"), ("media/hls/multivariant.m3u8", Multivariant),
            ("media/hls/high/playlist.m3u8", Rendition), ("media/hls/high/0.ts", "ts0"), ("media/hls/high/1.ts", "ts1"),
        })
        {
            _api.Recordings.Put($"{prefix}/{key}", text);
        }

        return prefix + "/";
    }

    /// <summary>A stage where alice published and was recorded, with what IVS writes under her recording's prefix.</summary>
    private async Task<(string StageId, string Prefix)> RecordedStageAsync(string visibility, bool ended, string? coHost = null)
    {
        var stageId = await _api.CreateStageAsync("alice", visibility, coHosts: coHost is null ? null : [coHost], invited: ["ivan"]);
        var prefix = $"{stageId}/{Session}/pALICE000001/rec1";
        await RecordingEventAsync(stageId, "pALICE000001", "Recording Start", 1, ApiHarness.RecordingsBucket, prefix);
        if (ended)
        {
            await RecordingEventAsync(stageId, "pALICE000001", "Recording End", 61, ApiHarness.RecordingsBucket, prefix);
        }

        foreach (var (key, text) in new[]
        {
            ("events/recording-started.json", "{}"), ("events/recording-ended.json", "{}"),
            ("media/hls/multivariant.m3u8", Multivariant), ("media/hls/high/playlist.m3u8", Rendition),
            ("media/hls/high/0.ts", "ts0"), ("media/hls/high/1.ts", "ts1"), ("media/thumbnails/high/1.jpg", "jpg"),
        })
        {
            _api.Recordings.Put($"{prefix}/{key}", text);
        }

        _api.Recordings.Put($"{prefix}/media/thumbnails/high/2.jpg", "jpg");
        _api.Recordings.Put($"{stageId}/{Session}/pALICE000001/rec10/media/thumbnails/high/1.jpg", "another recording");
        return (stageId, prefix + "/");
    }

    private SignedReadStatus ReadPresigned(string url)
    {
        var query = Query(url);
        return _api.Recordings.ReadSignedAsync(KeyOf(url), query, default).Result.Status;
    }

    /// <summary>The object key a presigned URL or a playlist route URL names.</summary>
    private static string KeyOf(string url) => url.StartsWith(InMemoryRecordingObjects.Host, StringComparison.Ordinal)
        ? Uri.UnescapeDataString(new Uri(url).AbsolutePath.TrimStart('/'))
        : Query(url)["key"];

    private static Dictionary<string, string> Query(string url) =>
        new Uri(url).Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);

    /// <summary>A GET of a URL as a player sends it: no bearer token.</summary>
    private static ApiRequest FromUrl(string url)
    {
        var uri = new Uri(url);
        var request = ApiRequest.Get(uri.AbsolutePath).As(null);
        foreach (var (name, value) in Query(url))
        {
            request.Query(name, value);
        }

        return request;
    }

    private static (int, string?) Answer(ApiResponse response) => (response.Status, response.Code);

    private Task RecordingEventAsync(string stageId, string participantId, string name, int second, string bucket, string prefix)
    {
        var json = new JsonObject
        {
            ["version"] = "0",
            ["id"] = $"event-{Interlocked.Increment(ref _ids)}",
            ["detail-type"] = "IVS Participant Recording State Change",
            ["source"] = "aws.ivs",
            ["account"] = "123456789012",
            ["time"] = Time(second),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray($"arn:aws:ivs:us-east-1:123456789012:stage/{stageId}"),
            ["detail"] = new JsonObject
            {
                ["session_id"] = Session,
                ["event_name"] = name,
                ["participant_id"] = participantId,
                ["recording_s3_bucket_name"] = bucket,
                ["recording_s3_key_prefix"] = prefix,
            },
        }.ToJsonString();
        return IvsEventParser.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var reason)
            ? _api.Projection.ApplyAsync(parsed, default)
            : throw new InvalidOperationException(reason);
    }

    private static string Time(int second) => T0.AddSeconds(second).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
