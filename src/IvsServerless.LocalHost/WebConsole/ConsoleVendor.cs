using Microsoft.AspNetCore.Builder;

namespace IvsServerless.LocalHost.WebConsole;

/// <summary>
/// Third-party browser code the console loads, from npm packages pinned in <c>src/console-vendor</c> (no CDN): hls.js,
/// for the recording player (docs/recordings.md), at <c>/vendor/hls.light.min.mjs</c> on the console origin. Installed
/// with <c>npm ci --ignore-scripts</c> on the first request for it.
/// </summary>
public static class ConsoleVendor
{
    public const string HlsPackage = "hls.js";

    /// <summary>The ES module build without subtitles, alternate audio and DRM, which recordings do not use.</summary>
    public const string HlsFile = "dist/hls.light.min.mjs";

    /// <summary>Where the console imports hls.js from.</summary>
    public const string HlsPath = "/vendor/hls.light.min.mjs";

    public static PinnedNpmFiles Hls { get; } = new(
        "src/console-vendor", HlsPackage,
        new Dictionary<string, string>(StringComparer.Ordinal) { [HlsFile] = "text/javascript" },
        "The recording player");

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(HlsPath, () => Hls.ServeAsync(HlsFile));
    }
}
