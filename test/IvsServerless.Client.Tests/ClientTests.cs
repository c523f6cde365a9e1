using System.Text.RegularExpressions;
using IvsServerless.Local;
using IvsServerless.LocalHost;
using IvsServerless.Testing;
using Xunit.Abstractions;

namespace IvsServerless.Client.Tests;

/// <summary>
/// The TypeScript client's own tests (<c>clients/typescript/test/</c>, node's built-in runner) against a local host
/// started in-process on free ports: dev sign-in, stages, participant tokens, paging, idempotent composition start,
/// a typed error per problem code, and the generated files in step with their sources.
/// </summary>
public sealed partial class ClientTests(ITestOutputHelper output)
{
    /// <summary>Tests that must have run (and passed) against the local host: one per reachable problem code, and the flows.</summary>
    private static readonly string[] LocalHostTests =
    [
        "signs in through the dev issuer and creates a stage", "mints a participant token",
        "pages through the caller's stages with the cursor", "refreshes the token once when the API answers 401",
        "starts a composition idempotently: the same key answers the first composition",
        "400 validation-failed", "400 malformed-json", "400 unknown-field", "400 invalid-path-parameter", "400 invalid-cursor",
        "403 owner-only", "403 capability-not-allowed", "404 stage-not-found (also for a private stage of someone else)",
        "404 session-not-found", "404 participant-not-found", "404 composition-not-found", "413 payload-too-large",
        "415 unsupported-media-type",
    ];

    [Fact]
    public async Task The_client_passes_its_tests_against_the_local_host()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        output.WriteLine(await ClientPackage.EnsureInstalledAsync(timeout.Token));

        var build = await ClientPackage.NodeAsync(["scripts/build.mjs", "--dist", "--no-declarations"], cancellationToken: timeout.Token);
        output.WriteLine($"build (esbuild): {ClientPackage.Seconds(build.Elapsed)}");
        Assert.True(build.Succeeded, build.Describe());
        var types = await ClientPackage.NodeAsync(
            ["node_modules/typescript/bin/tsc", "-p", "tsconfig.test.json"], cancellationToken: timeout.Token);
        output.WriteLine($"type checks of src/ and test/ (tsc -p tsconfig.test.json): {ClientPackage.Seconds(types.Elapsed)}");
        Assert.True(types.Succeeded, types.Describe());

        var hostStart = System.Diagnostics.Stopwatch.StartNew();
        var dynamoDb = await DynamoDbLocal.GetSharedAsync();
        var options = LocalHostOptions.OnFreePorts(new Uri(dynamoDb.ServiceUrl), $"client-{Guid.NewGuid():N}"[..20]);
        await using var host = await LocalHost.LocalHost.StartAsync(options, timeout.Token);
        output.WriteLine($"local host: {ClientPackage.Seconds(hostStart.Elapsed)} (API {host.ApiUrl}, console {host.ConsoleUrl})");

        var run = await ClientPackage.NodeAsync(["--test", "--test-reporter=tap", "test/"], new Dictionary<string, string?>
        {
            ["IVS_SERVERLESS_API_URL"] = host.ApiUrl.ToString(),
            ["IVS_SERVERLESS_CONSOLE_URL"] = host.ConsoleUrl.ToString(),
        }, timeout.Token);
        output.WriteLine($"node --test: {ClientPackage.Seconds(run.Elapsed)}");

        var passed = Passed().Matches(run.StandardOutput).Select(m => m.Groups["name"].Value.Trim()).ToList();
        var failed = NotOk().Matches(run.StandardOutput).Select(m => m.Groups["name"].Value.Trim()).ToList();
        foreach (var name in passed)
        {
            output.WriteLine($"  ok {name}");
        }

        Assert.True(run.Succeeded && failed.Count == 0, $"failed: {string.Join("; ", failed)}\n{run.Describe()}");
        Assert.DoesNotContain("# SKIP", run.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^# skipped 0$", run.StandardOutput);
        Assert.Empty(LocalHostTests.Except(passed));
        Assert.Contains("src/schema.d.ts is what openapi.yaml generates (run `npm run generate` after changing the contract)", passed);
        Assert.Contains("the console bundle in src/IvsServerless.LocalHost/wwwroot is what src/ builds (run `npm run build`)", passed);
    }

    [GeneratedRegex(@"(?m)^\s*ok \d+ - (?<name>.+?)(?: # .*)?$")]
    private static partial Regex Passed();

    [GeneratedRegex(@"(?m)^\s*not ok \d+ - (?<name>.+)$")]
    private static partial Regex NotOk();
}
