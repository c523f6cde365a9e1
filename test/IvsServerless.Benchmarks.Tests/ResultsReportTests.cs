using IvsServerless.Benchmarks.Support;
using IvsServerless.Local;

namespace IvsServerless.Benchmarks.Tests;

/// <summary>The committed results table is the rendering of the committed summary, so its figures cannot drift.</summary>
public sealed class ResultsReportTests
{
    private static readonly string Results = RepoPaths.Combine("test", "IvsServerless.Benchmarks", "results");

    /// <summary>The newest committed summary (files are named by date): the one results/README.md renders.</summary>
    private static string CommittedSummary =>
        Directory.GetFiles(Results, "*.json").Order(StringComparer.Ordinal).LastOrDefault()
        ?? throw new InvalidOperationException($"No summary JSON in {Results}.");

    [Fact]
    public void The_committed_results_readme_is_what_report_renders_from_the_committed_summary()
    {
        var summary = CommittedSummary;
        var rendered = ResultsReport.Render(File.ReadAllText(summary), Path.GetFileName(summary));
        var committed = File.ReadAllText(Path.Combine(Results, "README.md")).ReplaceLineEndings("\n");

        Assert.True(rendered == committed,
            "test/IvsServerless.Benchmarks/results/README.md is not the rendering of " + Path.GetFileName(summary)
                + "; regenerate it with\n" +
            $"  dotnet run -c Release --project test/IvsServerless.Benchmarks -- report test/IvsServerless.Benchmarks/results/"
                + $"{Path.GetFileName(summary)} " +
            "--out test/IvsServerless.Benchmarks/results/README.md");
    }

    [Fact]
    public void Renders_the_machine_every_metric_with_its_json_text_and_whether_targets_were_met()
    {
        const string json = """
            {"machine":{"Cores":2,"Os":"Debian"},"results":[
              {"Name":"cold-start","Metrics":{"aot.median_ms":67.274,"jit.median_ms":657.8,"aot.binary_mb":14.752,"errors":0},"TargetsMet":true,"Notes":["a | b"]},
              {"Name":"projection","Metrics":{"eventsPerSecond":214.2},"TargetsMet":false,"Notes":[]}]}
            """;

        var markdown = ResultsReport.Render(json, "run.json");

        Assert.Contains("| Cores | 2 |\n| Os | Debian |", markdown, StringComparison.Ordinal);
        Assert.Contains(
            "| [`cold-start`](#cold-start) | yes |\n| [`projection`](#projection) | **no** |", markdown, StringComparison.Ordinal);
        Assert.Contains(
            "| | median_ms | binary_mb |\n| --- | ---: | ---: |\n| aot | 67.274 | 14.752 |\n| jit | 657.8 |  |", markdown,
            StringComparison.Ordinal);
        Assert.Contains("| errors | 0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| eventsPerSecond | 214.2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("- a \\| b", markdown, StringComparison.Ordinal);
        Assert.Contains("[`run.json`](run.json)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_writes_the_rendering_to_out_and_refuses_bad_usage()
    {
        var directory = Directory.CreateTempSubdirectory("report-");
        try
        {
            var output = Path.Combine(directory.FullName, "README.md");

            Assert.Equal(0, await ResultsReport.RunAsync([CommittedSummary, "--out", output]));
            Assert.Equal(
                ResultsReport.Render(File.ReadAllText(CommittedSummary), Path.GetFileName(CommittedSummary)), File.ReadAllText(output));
            Assert.Equal(2, await ResultsReport.RunAsync([]));
            Assert.Equal(2, await ResultsReport.RunAsync([Path.Combine(directory.FullName, "missing.json")]));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
