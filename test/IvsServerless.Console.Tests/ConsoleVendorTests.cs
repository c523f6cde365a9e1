using System.Net;
using System.Text.Json.Nodes;
using IvsServerless.Local;
using IvsServerless.LocalHost.WebConsole;
using Xunit.Abstractions;

namespace IvsServerless.Console.Tests;

/// <summary>
/// hls.js for the recording player: served by the console origin at <see cref="ConsoleVendor.HlsPath"/> from the npm
/// package pinned in <c>src/console-vendor</c> (installed on the first request), and nothing else of node_modules.
/// The browser flow of <see cref="ConsoleBrowserTests"/> plays a recording with it.
/// </summary>
public sealed class ConsoleVendorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_console_origin_serves_the_pinned_hls_js_and_nothing_else_of_node_modules()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        // The console origin alone: the vendor route reads nothing from the rest of the host.
        await using var site = ConsoleSite.Create(0, new ConsoleSiteContext(
            () => new JsonObject(), () => throw new NotSupportedException(), () => new Uri("http://127.0.0.1:9/"), () => []));
        await site.StartAsync(timeout.Token);
        using var http = new HttpClient { BaseAddress = site.BaseAddress };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var answer = await http.GetAsync(new Uri(ConsoleVendor.HlsPath, UriKind.Relative), timeout.Token);
        output.WriteLine($"first {ConsoleVendor.HlsPath} request (npm ci in src/console-vendor when needed): "
            + $"{clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/javascript", answer.Content.Headers.ContentType?.MediaType);
        var served = await answer.Content.ReadAsByteArrayAsync(timeout.Token);
        Assert.Equal(await File.ReadAllBytesAsync(ConsoleVendor.Hls.PathOf(ConsoleVendor.HlsFile), timeout.Token), served);

        // The pinned version is the one installed and served (the bundle names its version).
        var pinned = NpmPackages.PinnedVersion(ConsoleVendor.Hls.Folder, ConsoleVendor.HlsPackage);
        Assert.Matches(@"^\d+\.\d+\.\d+$", pinned);
        Assert.Equal(pinned, NpmPackages.InstalledVersion(ConsoleVendor.Hls.Folder, ConsoleVendor.HlsPackage));
        Assert.Contains($"\"{pinned}\"", System.Text.Encoding.UTF8.GetString(served), StringComparison.Ordinal);

        string[] others = ["/vendor/hls.min.js", "/vendor/package.json", "/vendor/..%2Fpackage.json", "/vendor/hls.light.min.mjs.map"];
        foreach (var other in others)
        {
            using var refused = await http.GetAsync(new Uri(other, UriKind.Relative), timeout.Token);
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{other} answered {refused.StatusCode}");
        }
    }
}
