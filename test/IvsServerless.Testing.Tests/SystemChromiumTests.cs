using IvsServerless.Local;

namespace IvsServerless.Testing.Tests;

public sealed class SystemChromiumTests
{
    [ChromiumFact]
    public async Task Finds_or_installs_a_chromium_that_runs()
    {
        var (executable, _) = await SystemChromium.EnsureAsync();

        var version = await ProcessRunner.RunAsync(
            executable, ["--headless", "--no-sandbox", "--version"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(version.Succeeded, version.Describe());
        Assert.Contains("Chromium", version.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_path_that_does_not_exist_is_a_reason_to_skip()
    {
        var previous = Environment.GetEnvironmentVariable(SystemChromium.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(SystemChromium.PathVariable, "/nonexistent/chromium");
            Assert.Null(SystemChromium.Find());
            Assert.Contains("/nonexistent/chromium", SystemChromium.WhyUnavailable(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SystemChromium.PathVariable, previous);
        }
    }
}
