using System.Text;
using System.Text.RegularExpressions;

namespace IvsServerless.Core.Recordings;

/// <summary>
/// Rewrites an HLS playlist so a player needs nothing else: every URI (media lines and <c>URI="…"</c> attributes, e.g. of
/// <c>#EXT-X-MAP</c> or <c>#EXT-X-MEDIA</c>) is resolved against the playlist's key and replaced by what
/// <c>resolve</c> returns for the key (a presigned URL for a segment, a playlist endpoint URL for a playlist).
/// Absolute URIs (with a scheme) and URIs that leave the recording (<c>..</c> above the root) are kept as they are.
/// </summary>
public static partial class HlsPlaylist
{
    public static bool IsPlaylistKey(string key) => key.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase);

    public static async Task<string> RewriteAsync(string playlist, string playlistKey, Func<string, Task<string>> resolve)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        ArgumentNullException.ThrowIfNull(resolve);
        var lines = playlist.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var output = new StringBuilder(playlist.Length * 2);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                // Keep blank lines (and the final newline) as they were.
            }
            else if (line.StartsWith('#'))
            {
                var rewritten = new StringBuilder();
                var last = 0;
                foreach (Match m in UriAttribute().Matches(line))
                {
                    var value = m.Groups["uri"];
                    rewritten.Append(line, last, value.Index - last);
                    rewritten.Append(await ResolveAsync(value.Value, playlistKey, resolve));
                    last = value.Index + value.Length;
                }

                line = rewritten.Append(line, last, line.Length - last).ToString();
            }
            else
            {
                line = await ResolveAsync(line.Trim(), playlistKey, resolve);
            }

            output.Append(line);
            if (i < lines.Length - 1)
            {
                output.Append('\n');
            }
        }

        return output.ToString();
    }

    /// <summary>The key <paramref name="reference"/> names relative to the playlist <paramref name="playlistKey"/>; null when it is
    /// absolute or climbs above the bucket root.</summary>
    public static string? Resolve(string reference, string playlistKey)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(playlistKey);
        if (reference.Contains("://", StringComparison.Ordinal) || reference.StartsWith('/')
            || reference.StartsWith("data:", StringComparison.Ordinal))
        {
            return null;
        }

        var path = reference.Split('?', '#')[0];
        var parts = playlistKey.Split('/').SkipLast(1).ToList();
        foreach (var part in path.Split('/'))
        {
            if (part is "." or "")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(Uri.UnescapeDataString(part));
        }

        return string.Join('/', parts);
    }

    private static async Task<string> ResolveAsync(string reference, string playlistKey, Func<string, Task<string>> resolve) =>
        Resolve(reference, playlistKey) is { } key ? await resolve(key) : reference;

    [GeneratedRegex("URI=\"(?<uri>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex UriAttribute();
}
