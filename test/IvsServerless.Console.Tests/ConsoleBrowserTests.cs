using System.Globalization;
using System.Text.Json;
using IvsServerless.Local;
using IvsServerless.LocalHost;
using IvsServerless.LocalHost.WebConsole;
using IvsServerless.Testing;
using Xunit.Abstractions;

namespace IvsServerless.Console.Tests;

/// <summary>
/// The web console in a real browser: the local host runs in-process on free ports, and
/// <c>test/browser/console-flow.mjs</c> (pinned <c>playwright-core</c>, the machine's Debian <c>chromium</c>) clicks
/// through sign-in → create stage → mint a host token → simulated join + publish, waits until the API's live
/// participant list shows the participant publishing, and saves a screenshot to <see cref="ScreenshotPath"/>.
/// First run on a fresh machine: installs Chromium with apt-get (as root) and the npm folder with <c>npm ci</c>.
/// </summary>
public sealed class ConsoleBrowserTests(ITestOutputHelper output)
{
    private const string PlaywrightPackage = "playwright-core";

    private static readonly string[] ExpectedSteps =
    [
        "launch", "open", "sign-in", "live-connected", "create-stage", "mint-token", "simulate-join", "sees-participant-joined",
        "simulate-publish", "sees-participant-publishing", "sees-stage-live", "composition-start", "composition-stop",
        "simulate-unpublish", "no-stage-polling", "reconnects-and-refetches-once", "kick-reaches-the-user", "host-tools-encoder",
        "no-error-shown",
        "screenshot", "session-history", "create-recording-stage", "record-a-participant", "recording-ended",
        "recording-manifest-parsed", "recording-deleted", "shows-api-error", "api-reference",
    ];

    private static readonly TimeSpan FlowTimeout = TimeSpan.FromMinutes(3);

    public static string BrowserFolder => RepoPaths.Combine("test", "browser");

    /// <summary>The screenshot the flow leaves behind, a test artifact (artifacts/ is ignored by git).</summary>
    public static string ScreenshotPath => RepoPaths.Combine("artifacts", "console", "console-flow.png");

    [ChromiumFact]
    public async Task A_dev_user_creates_a_stage_mints_a_token_and_sees_the_simulated_participant_publishing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var (chromium, installs) = await SystemChromium.EnsureAsync(timeout.Token);
        foreach (var install in installs)
        {
            output.WriteLine($"{install.Command}: {Seconds(install.Elapsed)} (exit {install.ExitCode})");
        }

        var node = ProcessRunner.FindOnPath("node");
        Assert.True(node is not null, $"`node` is not on PATH. {NpmPackages.NodeHint}");
        var npmCi = await NpmPackages.EnsureInstalledAsync(BrowserFolder, PlaywrightPackage, cancellationToken: timeout.Token);
        output.WriteLine($"npm ci in test/browser: {(npmCi is null ? "not needed" : Seconds(npmCi.Elapsed))}");

        var swaggerUi = await NpmPackages.EnsureInstalledAsync(
            ApiReference.PackageFolder, ApiReference.Package, ignoreScripts: true, timeout.Token);
        output.WriteLine($"npm ci in src/api-reference: {(swaggerUi is null ? "not needed" : Seconds(swaggerUi.Elapsed))}");
        var hlsJs = await NpmPackages.EnsureInstalledAsync(
            ConsoleVendor.Hls.Folder, ConsoleVendor.HlsPackage, ignoreScripts: true, timeout.Token);
        output.WriteLine($"npm ci in src/console-vendor: {(hlsJs is null ? "not needed" : Seconds(hlsJs.Elapsed))}");

        var hostStart = System.Diagnostics.Stopwatch.StartNew();
        // The test process's DynamoDB Local (stopped with the process whatever happens), a table of its own, free ports.
        var dynamoDb = await DynamoDbLocal.GetSharedAsync();
        var options = LocalHostOptions.OnFreePorts(new Uri(dynamoDb.ServiceUrl), $"console-{Guid.NewGuid():N}"[..20]);
        await using var host = await LocalHost.LocalHost.StartAsync(options, timeout.Token);
        output.WriteLine($"local host started in {Seconds(hostStart.Elapsed)}: console {host.ConsoleUrl}, API {host.ApiUrl}");

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Delete(ScreenshotPath);
        var run = await ProcessRunner.RunAsync(node, ["console-flow.mjs", host.ConsoleUrl.ToString(), ScreenshotPath, chromium],
            BrowserFolder, timeout: FlowTimeout, cancellationToken: timeout.Token);
        output.WriteLine($"node console-flow.mjs: {Seconds(run.Elapsed)}, exit {run.ExitCode}");

        var report = Parse(run);
        foreach (var step in report.GetProperty("steps").EnumerateArray())
        {
            output.WriteLine($"  {step.GetProperty("name").GetString()}: {(step.GetProperty("ok").GetBoolean() ? "ok" : "FAILED")} "
                + $"{step.GetProperty("ms").GetInt32()} ms {(step.TryGetProperty("details", out var details) ? details.ToString() : "")}");
        }

        output.WriteLine(
            $"Chromium {report.GetProperty("browserVersion")}, playwright-core {report.GetProperty("playwrightVersion")}; screenshot: "
            + $"{ScreenshotPath}");

        var failed = report.GetProperty("steps").EnumerateArray().FirstOrDefault(s => !s.GetProperty("ok").GetBoolean());
        Assert.True(failed.ValueKind == JsonValueKind.Undefined,
            $"step '{(failed.ValueKind == JsonValueKind.Undefined ? "" : failed.GetProperty("name").GetString())}' failed: "
            + $"{(failed.ValueKind == JsonValueKind.Undefined ? "" : failed.GetProperty("error").GetString())}\n"
            + $"error banner: {(report.TryGetProperty("errorBanner", out var banner) ? banner.ToString() : "(none)")}\n"
            + $"screenshot: {ScreenshotPath}\n{run.Describe()}");
        Assert.Equal(ExpectedSteps, report.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(NpmPackages.PinnedVersion(BrowserFolder, PlaywrightPackage), report.GetProperty("playwrightVersion").GetString());
        Assert.Empty(report.GetProperty("pageErrors").EnumerateArray());

        var published = Step(report, "sees-participant-publishing").GetProperty("details");
        Assert.Equal(report.GetProperty("userName").GetString(), published.GetProperty("userId").GetString());
        var history = Step(report, "session-history").GetProperty("details");
        Assert.True(history.GetProperty("served").GetBoolean(), "the console says the API serves no session history");
        Assert.StartsWith("st-", history.GetProperty("sessionId").GetString(), StringComparison.Ordinal);
        // Pushed, not polled: the flow saw no GET /stages/{stageId} after the page loaded, then exactly one after the
        // cut connection came back, and the indicator went back to live on a new connection.
        var reconnect = Step(report, "reconnects-and-refetches-once").GetProperty("details");
        Assert.Equal((1, true), (reconnect.GetProperty("stageFetches").GetInt32(), reconnect.GetProperty("sockets").GetInt32() >= 1));
        // A recording stage's participant published and left: its recording listed ENDED with a thumbnail the browser
        // decoded and a playback URL on the playlist route, and hls.js, the pinned one the host serves, parsed its playlist.
        var ended = Step(report, "recording-ended").GetProperty("details");
        Assert.Equal("/recordings/playlist", ended.GetProperty("playlistRoute").GetString());
        Assert.True(ended.GetProperty("thumbnailWidth").GetInt32() > 0, "the thumbnail did not decode");
        var played = Step(report, "recording-manifest-parsed").GetProperty("details");
        Assert.Equal($"hls.js {NpmPackages.PinnedVersion(ConsoleVendor.Hls.Folder, ConsoleVendor.HlsPackage)}",
            played.GetProperty("engine").GetString());
        Assert.True(played.GetProperty("levels").GetInt32() >= 1, $"hls.js parsed no rendition: {played}");
        // Its segments came from the local S3 server through presigned URLs, across origins (the bucket's CORS rule).
        Assert.True(played.GetProperty("fragmentsLoaded").GetInt32() >= 1, $"hls.js loaded no segment: {played}");
        var error = Step(report, "shows-api-error").GetProperty("details");
        Assert.Contains("validation-failed", error.GetProperty("title").GetString(), StringComparison.Ordinal);
        var reference = Step(report, "api-reference").GetProperty("details");
        Assert.Equal(200, reference.GetProperty("status").GetInt32());
        Assert.True(reference.GetProperty("listsTheStage").GetBoolean(), "GET /stages from /docs does not list the stage the flow created");
        // The reference page lists one operation per route of the contract.
        Assert.Equal(Deployment.Routes.ApiRoutes.All.Count, reference.GetProperty("operations").GetInt32());

        var png = await File.ReadAllBytesAsync(ScreenshotPath, timeout.Token);
        Assert.True(png.Length > 10_000 && png.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']),
            $"{ScreenshotPath} is not a PNG screenshot ({png.Length} bytes)");
    }

    private static JsonElement Step(JsonElement report, string name) =>
        report.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("name").GetString() == name);

    private static JsonElement Parse(ProcessResult run)
    {
        Assert.False(run.TimedOut, "console-flow.mjs did not finish in time:\n" + run.Describe());
        try
        {
            return JsonDocument.Parse(run.StandardOutput).RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"console-flow.mjs did not print one JSON object ({e.Message}):\n{run.Describe()}");
            throw;
        }
    }

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
