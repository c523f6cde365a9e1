using IvsServerless.Core.Recordings;

namespace IvsServerless.Core.Tests.Recordings;

public sealed class HlsPlaylistTests
{
    private const string Prefix = "stage/session/participant/rec1";

    [Fact]
    public async Task A_multivariant_playlist_points_each_rendition_at_what_resolve_returns()
    {
        const string multivariant = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720\n"
            + "high/playlist.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=500000\nlow/playlist.m3u8\n";

        var rewritten = await HlsPlaylist.RewriteAsync(multivariant, $"{Prefix}/media/hls/multivariant.m3u8", Resolve);

        Assert.Equal(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720\n"
                + $"<{Prefix}/media/hls/high/playlist.m3u8>\n#EXT-X-STREAM-INF:BANDWIDTH=500000\n<{Prefix}/media/hls/low/playlist.m3u8>\n",
            rewritten);
    }

    [Fact]
    public async Task A_rendition_playlist_rewrites_segments_and_uri_attributes_and_keeps_tags()
    {
        const string rendition = "#EXTM3U\r\n#EXT-X-TARGETDURATION:6\r\n#EXT-X-MAP:URI=\"init.mp4\"\r\n#EXTINF:6.0,\r\n0.mp4\r\n"
            + "#EXTINF:4.2,\r\n ./1.mp4 \r\n#EXT-X-ENDLIST\r\n";

        var rewritten = await HlsPlaylist.RewriteAsync(rendition, $"{Prefix}/media/hls/high/playlist.m3u8", Resolve);

        var dir = $"{Prefix}/media/hls/high";
        Assert.Equal(
            $"#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-MAP:URI=\"<{dir}/init.mp4>\"\n#EXTINF:6.0,\n<{dir}/0.mp4>\n"
                + $"#EXTINF:4.2,\n<{dir}/1.mp4>\n#EXT-X-ENDLIST\n",
            rewritten);
    }

    [Theory]
    [InlineData("https://elsewhere.example/x.ts")]
    [InlineData("/absolute/path.ts")]
    [InlineData("../../../../../../../../outside.ts")]
    public async Task References_that_are_absolute_or_leave_the_bucket_are_kept(string reference)
    {
        var rewritten = await HlsPlaylist.RewriteAsync($"#EXTM3U\n{reference}", $"{Prefix}/media/hls/high/playlist.m3u8", Resolve);

        Assert.Equal($"#EXTM3U\n{reference}", rewritten);
    }

    [Theory]
    [InlineData("../thumbnails/1.jpg", "a/b/thumbnails/1.jpg")]
    [InlineData("seg%201.ts?x=1", "a/b/hls/seg 1.ts")]
    public void Relative_references_resolve_against_the_playlist_key(string reference, string key)
    {
        Assert.Equal(key, HlsPlaylist.Resolve(reference, "a/b/hls/playlist.m3u8"));
    }

    private static Task<string> Resolve(string key) => Task.FromResult($"<{key}>");
}
