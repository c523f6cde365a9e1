using System.Text.Json;
using Xunit.Abstractions;

namespace IvsServerless.Client.Tests;

/// <summary>
/// openapi.yaml passes <c>@redocly/cli lint</c> (pinned in clients/typescript/package.json) with the ruleset of
/// redocly.yaml at the repository root (why each rule: docs/client.md): no error and no warning.
/// </summary>
public sealed class ContractLintTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_contract_lints_clean_with_the_project_ruleset()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        output.WriteLine(await ClientPackage.EnsureInstalledAsync(timeout.Token));

        var run = await ClientPackage.NodeAsync(
            [
                "node_modules/@redocly/cli/bin/cli.js", "lint", "--config", "../../redocly.yaml", "--format", "json",
                "../../src/IvsServerless.Api/openapi.yaml"],
            new Dictionary<string, string?> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
            timeout.Token);
        output.WriteLine($"redocly lint: {ClientPackage.Seconds(run.Elapsed)}, exit {run.ExitCode}");

        var json = run.StandardOutput[run.StandardOutput.IndexOf('{', StringComparison.Ordinal)..];
        using var report = JsonDocument.Parse(json);
        var problems = report.RootElement.GetProperty("problems").EnumerateArray()
            .Select(
                p =>
                $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}")
            .ToList();
        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }

        var totals = report.RootElement.GetProperty("totals");
        Assert.True(totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0,
            string.Join('\n', problems) + "\n" + run.Describe());
        Assert.True(run.Succeeded, run.Describe());
    }
}
