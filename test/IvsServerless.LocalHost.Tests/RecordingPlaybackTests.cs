using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using IvsServerless.Local;
using IvsServerless.LocalHost.Tests.Support;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// Playback of a recording end to end (issue 14): the routes and the real local S3 server together. A player follows the
/// playback URL (the API's playlist route, no JWT), every playlist and segment it names, and the thumbnails; an expired or
/// altered URL is 403 (checked by S3); a stranger to a private stage does not see its recordings; the owner's delete
/// empties the prefix in the S3 server. A composition's S3 destination records into the same server, is listed with the
/// session's recordings and plays and deletes the same way.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed partial class RecordingPlaybackTests(LocalHostFixture local)
{
    private const string Recording = """
        "recording":{"mode":"individual",
         "thumbnailConfiguration":{"recordingMode":"INTERVAL","targetIntervalSeconds":1,"storage":["SEQUENTIAL","LATEST"]},
         "hlsConfiguration":{"targetSegmentDurationSeconds":2}}
        """;

    [Fact]
    public async Task A_player_loads_every_playlist_segment_and_thumbnail_and_altered_or_expired_URLs_are_403()
    {
        var (stageId, sessionId, recording) = await RecordedAsync("public");
        var playbackUrl = new Uri(recording.GetProperty("playbackUrl").GetString()!);
        Assert.StartsWith(local.Host.ApiUrl.AbsoluteUri, playbackUrl.AbsoluteUri, StringComparison.Ordinal);

        var (fetched, segments) = await PlayAsync(playbackUrl);
        Assert.Equal(2, fetched.Count);
        Assert.NotEmpty(segments);

        var thumbnails = recording.GetProperty("thumbnailUrls").EnumerateArray().Select(t => new Uri(t.GetString()!)).ToList();
        Assert.NotEmpty(thumbnails);
        foreach (var thumbnail in thumbnails)
        {
            var (status, type, body) = await GetAsync(thumbnail);
            Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (status, type));
            Assert.Equal((0xFF, 0xD8), (body[0], body[1]));
        }

        // Altered: one character of a signature (the playback URL, whose signature S3 checks for the API; a segment's and
        // a thumbnail's, checked by S3 itself), or the object a segment URL names.
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(AlterSignature(playbackUrl))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(AlterSignature(segments[0]))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(AlterSignature(thumbnails[0]))).Status);
        var otherKey = new UriBuilder(segments[0]) { Path = segments[0].AbsolutePath.Replace("/0.ts", "/1.ts", StringComparison.Ordinal) };
        Assert.NotEqual(segments[0], otherKey.Uri);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(otherKey.Uri)).Status);
        var playbackForOtherKey = new Uri(playbackUrl.AbsoluteUri.Replace(
            "multivariant.m3u8", "high%2Fplaylist.m3u8", StringComparison.Ordinal));
        Assert.NotEqual(playbackUrl, playbackForOtherKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(playbackForOtherKey)).Status);

        // Expired: correctly signed, but an hour ago for one minute. The same signing done now is served, so the 403 is
        // the expiry, checked by S3 (directly, and for the API's playlist route).
        var prefix = recording.GetProperty("s3KeyPrefix").GetString()!.TrimEnd('/');
        var segmentKey = $"{prefix}/media/hls/high/0.ts";
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Presign(segmentKey, now, 60))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(Presign(segmentKey, now.AddHours(-1), 60))).Status);
        var multivariantKey = $"{prefix}/media/hls/multivariant.m3u8";
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(PlaylistRoute(multivariantKey, now))).Status);
        var expired = await local.GetAsync(PlaylistRoute(multivariantKey, now.AddHours(-1)).PathAndQuery, null);
        Assert.True(expired.Status == 403, expired.ToString());
        Assert.Equal("playback-url-rejected", expired.Code);
        Assert.Equal(sessionId, recording.GetProperty("sessionId").GetString());
        Assert.StartsWith($"{stageId}/{sessionId}/", prefix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stranger_to_a_private_stage_gets_404_and_the_owners_delete_empties_the_prefix_in_S3()
    {
        var (stageId, sessionId, recording) = await RecordedAsync("private");
        var list = $"/stages/{stageId}/sessions/{sessionId}/recordings";

        var stranger = await local.GetAsync(list, "mallory");
        Assert.True(stranger.Status == 404, stranger.ToString());
        var strangerDelete = await local.DeleteAsync($"/stages/{stageId}/recordings/{RecordingId(recording)}", "mallory");
        Assert.True(strangerDelete.Status == 404, strangerDelete.ToString());

        using var s3 = new AmazonS3Client(
            new BasicAWSCredentials("local", "local"), S3LocalEngine.ClientConfig(local.Host.S3Url.ToString()));
        var prefix = recording.GetProperty("s3KeyPrefix").GetString()!.TrimEnd('/') + "/";
        var request = new ListObjectsV2Request { BucketName = LocalHostOptions.RecordingsBucket, Prefix = prefix };
        Assert.NotEmpty((await s3.ListObjectsV2Async(request)).S3Objects ?? []);

        var deleted = await local.DeleteAsync($"/stages/{stageId}/recordings/{RecordingId(recording)}", "alice");
        Assert.True(deleted.Status == 204, deleted.ToString());

        Assert.Empty((await s3.ListObjectsV2Async(request)).S3Objects ?? []);
        var after = await local.GetAsync(list, "alice");
        Assert.True(after.Status == 200, after.ToString());
        Assert.DoesNotContain(
            after.Json.GetProperty("items").EnumerateArray(), r => r.GetProperty("recordingId").GetString() == RecordingId(recording));
        var again = await local.DeleteAsync($"/stages/{stageId}/recordings/{RecordingId(recording)}", "alice");
        Assert.True(again.Status == 204, again.ToString());
    }

    [Fact]
    public async Task A_compositions_S3_recording_is_listed_ENDED_plays_and_the_owners_delete_empties_its_prefix()
    {
        var stageId = await local.CreateStageAsync("alice");
        var minted = await local.PostAsync($"/stages/{stageId}/participant-tokens", "alice");
        Assert.True(minted.Status == 201, minted.ToString());
        var joined = await local.SimAsync("join", JsonSerializer.Serialize(new { token = minted.Json.GetProperty("token").GetString() }));
        Assert.True(joined.Status == 200, joined.ToString());
        var (host, sessionId) = (joined.Json.GetProperty("participantId").GetString()!, joined.Json.GetProperty("sessionId").GetString()!);
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{host}/publish")).Status);
        var started = await local.PostAsync($"/stages/{stageId}/compositions", "alice");
        Assert.True(started.Status == 201, started.ToString());
        var compositionId = started.Json.GetProperty("compositionId").GetString()!;
        string? State(Reply list) => list.Json.GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("compositionId").GetString() == compositionId)
            .Select(c => c.GetProperty("state").GetString()).FirstOrDefault();
        await LocalHostFixture.EventuallyAsync(() => local.GetAsync($"/stages/{stageId}/compositions", "alice"),
            l => State(l) == "ACTIVE", "the composition becomes ACTIVE");
        Assert.Equal(204, (await local.DeleteAsync($"/stages/{stageId}/compositions/{compositionId}", "alice")).Status);
        await LocalHostFixture.EventuallyAsync(() => local.GetAsync($"/stages/{stageId}/compositions", "alice"),
            l => State(l) == "STOPPED", "the composition is STOPPED after its end events");

        // Session End follows the destination's objects, so they are all there once the API says STOPPED.
        using var s3 = new AmazonS3Client(
            new BasicAWSCredentials("local", "local"), S3LocalEngine.ClientConfig(local.Host.S3Url.ToString()));
        var listed = await s3.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = LocalHostOptions.RecordingsBucket, Prefix = $"{stageId}/{compositionId}/" });
        var keys = (listed.S3Objects ?? []).Select(o => o.Key).ToList();
        var ended = Assert.Single(keys, k => k.EndsWith("/composite/events/recording-ended.json", StringComparison.Ordinal));
        var prefix = ended[..^"/events/recording-ended.json".Length];
        Assert.Contains($"{prefix}/events/recording-started.json", keys);
        using var playlist = await s3.GetObjectAsync(LocalHostOptions.RecordingsBucket, $"{prefix}/media/hls/high/playlist.m3u8");
        using var reader = new StreamReader(playlist.ResponseStream);
        var segments = References(await reader.ReadToEndAsync());
        Assert.NotEmpty(segments);
        Assert.All(segments, segment => Assert.Contains($"{prefix}/media/hls/high/{segment}", keys));
        Assert.Contains($"{prefix}/media/hls/multivariant.m3u8", keys);

        // Listed in the session as the composition's recording, ENDED once its Destination End is projected, and playable.
        var list = $"/stages/{stageId}/sessions/{sessionId}/recordings";
        var recordingId = $"{sessionId}~composition~{compositionId}";
        JsonElement? Composite(Reply reply) => reply.Status != 200 ? null : reply.Json.GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("recordingId").GetString() == recordingId).Select(r => (JsonElement?)r.Clone()).FirstOrDefault();
        var ready = await LocalHostFixture.EventuallyAsync(() => local.GetAsync(list, "alice"),
            reply => Composite(reply) is { } r && r.GetProperty("state").GetString() == "ENDED" && r.TryGetProperty("playbackUrl", out _),
            "the composition's recording is listed ENDED with its playback URL");
        var recording = Composite(ready)!.Value;
        Assert.Equal(("composition", compositionId, "alice"), (recording.GetProperty("kind").GetString(),
            recording.GetProperty("compositionId").GetString(), recording.GetProperty("userId").GetString()));
        Assert.False(recording.TryGetProperty("participantId", out _));
        Assert.Equal(prefix, recording.GetProperty("s3KeyPrefix").GetString()!.TrimEnd('/'));
        Assert.Equal(LocalHostOptions.RecordingsBucket, recording.GetProperty("s3BucketName").GetString());
        Assert.True(recording.GetProperty("durationMs").GetInt64() >= 0);
        var (playlists, played) = await PlayAsync(new Uri(recording.GetProperty("playbackUrl").GetString()!));
        Assert.Equal(2, playlists.Count);
        Assert.Equal(segments.Count, played.Count);

        // Bob may see a public stage's recordings but not delete them; the owner's delete empties the prefix.
        var bobs = await local.DeleteAsync($"/stages/{stageId}/recordings/{recordingId}", "bob");
        Assert.True(bobs.Status == 403, bobs.ToString());
        var deleted = await local.DeleteAsync($"/stages/{stageId}/recordings/{recordingId}", "alice");
        Assert.True(deleted.Status == 204, deleted.ToString());
        var remaining = await s3.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = LocalHostOptions.RecordingsBucket, Prefix = prefix + "/" });
        Assert.Empty(remaining.S3Objects ?? []);
        Assert.Null(Composite(await local.GetAsync(list, "alice")));
    }

    /// <summary>Alice's recording stage, one publish through <c>/_sim/</c>, and the recording once the API lists it ENDED.</summary>
    private async Task<(string StageId, string SessionId, JsonElement Recording)> RecordedAsync(string visibility)
    {
        var created = await local.PostAsync("/stages", "alice", $$"""{"name":"replay","visibility":"{{visibility}}",{{Recording}}}""");
        Assert.True(created.Status == 201, created.ToString());
        var stageId = created.Json.GetProperty("stageId").GetString()!;
        var minted = await local.PostAsync($"/stages/{stageId}/participant-tokens", "alice");
        Assert.True(minted.Status == 201, minted.ToString());
        var joined = await local.SimAsync("join", JsonSerializer.Serialize(new { token = minted.Json.GetProperty("token").GetString() }));
        Assert.True(joined.Status == 200, joined.ToString());
        var participantId = joined.Json.GetProperty("participantId").GetString()!;
        var sessionId = joined.Json.GetProperty("sessionId").GetString()!;
        foreach (var action in new[] { "publish", "leave" })
        {
            var acted = await local.SimAsync($"stages/{stageId}/participants/{participantId}/{action}");
            Assert.True(acted.Status == 200, acted.ToString());
        }

        var listed = await LocalHostFixture.EventuallyAsync(
            () => local.GetAsync($"/stages/{stageId}/sessions/{sessionId}/recordings", "alice"),
            reply => reply.Status == 200 && reply.Json.GetProperty("items").EnumerateArray().Any(
                r => r.GetProperty("state").GetString() == "ENDED" && r.TryGetProperty("playbackUrl", out _)),
            "the recording is listed ENDED with its playback URL");
        return (stageId, sessionId, Assert.Single(listed.Json.GetProperty("items").EnumerateArray()).Clone());
    }

    /// <summary>
    /// As a player: the multivariant playlist at <paramref name="playbackUrl"/>, each rendition it names, each segment those
    /// name, URLs resolved against the playlist they are in (relative or absolute, as given); every one must be 200.
    /// </summary>
    private async Task<(List<Uri> Playlists, List<Uri> Segments)> PlayAsync(Uri playbackUrl)
    {
        var fetched = new List<Uri>();
        var segments = new List<Uri>();
        async Task FollowAsync(Uri playlistUrl, int depth)
        {
            var (status, type, body) = await GetAsync(playlistUrl);
            Assert.True(status == HttpStatusCode.OK, $"{playlistUrl} → {(int)status} {Encoding.UTF8.GetString(body)}");
            var text = Encoding.UTF8.GetString(body);
            Assert.StartsWith("#EXTM3U", text, StringComparison.Ordinal);
            Assert.Contains("mpegurl", type ?? "", StringComparison.OrdinalIgnoreCase);
            fetched.Add(playlistUrl);
            var references = References(text).Select(r => new Uri(playlistUrl, r)).ToList();
            Assert.NotEmpty(references);
            foreach (var reference in references)
            {
                if (text.Contains("#EXT-X-STREAM-INF", StringComparison.Ordinal))
                {
                    Assert.True(depth == 0, "a rendition playlist names another playlist");
                    await FollowAsync(reference, depth + 1);
                }
                else
                {
                    var (segmentStatus, segmentType, segment) = await GetAsync(reference);
                    Assert.True(segmentStatus == HttpStatusCode.OK, $"{reference} → {(int)segmentStatus}");
                    Assert.Equal("video/MP2T", segmentType);
                    Assert.True(segment.Length > 0 && segment.Length % 188 == 0 && segment[0] == 0x47, reference.ToString());
                    segments.Add(reference);
                }
            }
        }

        await FollowAsync(playbackUrl, 0);
        return (fetched, segments);
    }

    private static string RecordingId(JsonElement recording) => recording.GetProperty("recordingId").GetString()!;

    private async Task<(HttpStatusCode Status, string? ContentType, byte[] Body)> GetAsync(Uri url)
    {
        using var response = await local.Http.GetAsync(url);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>What a player fetches from a playlist: media lines and <c>URI="…"</c> attributes.</summary>
    private static List<string> References(string playlist) =>
        playlist.Split('\n').Select(line => line.Trim()).SelectMany(line => line.StartsWith('#')
            ? UriAttribute().Matches(line).Select(m => m.Groups[1].Value)
            : line.Length > 0 ? [line] : []).ToList();

    /// <summary>The URL with one hex digit of its <c>X-Amz-Signature</c> changed.</summary>
    private static Uri AlterSignature(Uri url)
    {
        var match = Signature().Match(url.Query);
        Assert.True(match.Success, url.ToString());
        var digit = match.Groups[1].Index + 1;
        var query = url.Query;
        var altered = query[..digit] + (query[digit] == '0' ? '1' : '0') + query[(digit + 1)..];
        return new UriBuilder(url) { Query = altered.TrimStart('?') }.Uri;
    }

    /// <summary>The API's playlist route for <paramref name="key"/>, with a presigned GET signed at <paramref name="signedAt"/>.</summary>
    private Uri PlaylistRoute(string key, DateTimeOffset signedAt) =>
        new(local.Host.ApiUrl, $"recordings/playlist?key={Uri.EscapeDataString(key)}&{Presign(key, signedAt, 60).Query.TrimStart('?')}");

    /// <summary>
    /// A SigV4 presigned GET of <paramref name="key"/> in the recordings bucket (path-style, the local credentials), signed as at
    /// <paramref name="signedAt"/> for <paramref name="seconds"/>: AWSSDK.S3 only signs with the current time.
    /// </summary>
    private Uri Presign(string key, DateTimeOffset signedAt, int seconds)
    {
        var host = local.Host.S3Url;
        var region = local.Host.Options.Region;
        var date = signedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var day = date[..8];
        var scope = $"{day}/{region}/s3/aws4_request";
        var path = "/" + string.Join('/', $"{LocalHostOptions.RecordingsBucket}/{key}".Split('/').Select(Uri.EscapeDataString));
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
            ["X-Amz-Credential"] = $"local/{scope}",
            ["X-Amz-Date"] = date,
            ["X-Amz-Expires"] = seconds.ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        var canonicalQuery = string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var canonical = $"GET\n{path}\n{canonicalQuery}\nhost:{host.Authority}\n\nhost\nUNSIGNED-PAYLOAD";
        var toSign = $"AWS4-HMAC-SHA256\n{date}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signing = new[] { day, region, "s3", "aws4_request" }.Aggregate(
            Encoding.UTF8.GetBytes("AWS4local"), (k, part) => HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(part)));
        var signature = Hex(HMACSHA256.HashData(signing, Encoding.UTF8.GetBytes(toSign)));
        return new Uri(host, $"{path}?{canonicalQuery}&X-Amz-Signature={signature}");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex("URI=\"([^\"]*)\"")]
    private static partial Regex UriAttribute();

    [GeneratedRegex("[?&]X-Amz-Signature=([0-9a-f]+)")]
    private static partial Regex Signature();
}
