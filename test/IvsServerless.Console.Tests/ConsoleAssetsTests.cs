using System.Text.RegularExpressions;
using IvsServerless.Local;

namespace IvsServerless.Console.Tests;

/// <summary>The console's files as they are: self-contained (the machines are offline) and in step with the browser flow.</summary>
public sealed partial class ConsoleAssetsTests
{
    private static readonly string[] Assets = [
        "index.html", "console.js", "live.js", "host-tools.js", "recordings.js", "console.css", "ivs-serverless-client.js",
        "docs/index.html", "docs/docs.js"];

    /// <summary>The pages and scripts that define test ids: the console and the API reference (/docs).</summary>
    private static readonly string[] Pages =
        ["index.html", "console.js", "live.js", "host-tools.js", "recordings.js", "docs/index.html", "docs/docs.js"];

    private static string Wwwroot => RepoPaths.Combine("src", "IvsServerless.LocalHost", "wwwroot");

    [Fact]
    public void The_page_loads_nothing_from_another_origin()
    {
        // No CDN, no web font, no absolute URL at all: everything comes from the console origin, the API URL from
        // /config.json. (The SVG/XML namespace URIs a page might carry are not requests, but there are none here.)
        foreach (var asset in Assets)
        {
            var text = File.ReadAllText(Path.Combine(Wwwroot, asset));
            var urls = AbsoluteUrl().Matches(text).Select(m => m.Value).ToList();
            Assert.True(urls.Count == 0, $"{asset} refers to other origins: {string.Join(", ", urls)}");
        }
    }

    [Fact]
    public void Every_test_id_the_browser_flow_uses_exists_in_the_page()
    {
        var flow = File.ReadAllText(RepoPaths.Combine("test", "browser", "console-flow.mjs"));
        var used = UsedTestId().Matches(flow).Select(m => m.Groups["id"].Value).ToHashSet(StringComparer.Ordinal);
        var page = string.Concat(Pages.Select(f => File.ReadAllText(Path.Combine(Wwwroot, f))));
        var defined = DefinedTestId().Matches(page).Select(m => m.Groups["id"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(defined));
    }

    [Fact]
    public void Tokens_are_never_written_to_local_storage_or_cookies()
    {
        var script = File.ReadAllText(Path.Combine(Wwwroot, "console.js"));
        Assert.DoesNotContain("localStorage", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.cookie", script, StringComparison.Ordinal);
        // The one sessionStorage entry is the dev user's JWT; participant tokens stay in memory.
        Assert.Single(SessionStorageWrite().Matches(script));

        // Host tools keep ingest stream keys in memory only, too.
        var hostTools = File.ReadAllText(Path.Combine(Wwwroot, "host-tools.js"));
        Assert.DoesNotContain("localStorage", hostTools, StringComparison.Ordinal);
        Assert.DoesNotContain("sessionStorage", hostTools, StringComparison.Ordinal);
        Assert.DoesNotContain("document.cookie", hostTools, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+", RegexOptions.IgnoreCase)]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex("""(?:getByTestId\('|data-testid=\\?"|\[data-testid="|testid: ')(?<id>[a-z0-9-]+)""")]
    private static partial Regex UsedTestId();

    [GeneratedRegex("""(?:data-testid="|testid: ')(?<id>[a-z0-9-]+)""")]
    private static partial Regex DefinedTestId();

    [GeneratedRegex(@"sessionStorage\.setItem\(")]
    private static partial Regex SessionStorageWrite();
}
