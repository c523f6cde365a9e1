using System.ComponentModel;
using IvsServerless.Local;

namespace IvsServerless.Testing.Tests;

public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task Timeout_kills_the_whole_process_tree_quickly()
    {
        // The shell prints the pid of its background sleep: that grandchild must die with it.
        var result = await ProcessRunner.RunAsync(
            "/bin/sh", ["-c", "sleep 30 & echo $!; wait"], timeout: TimeSpan.FromSeconds(1));

        Assert.True(result.TimedOut);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var sleepPid = int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Processes.IsRunning(result.ProcessId));
        Assert.False(Processes.IsRunning(sleepPid));
        var error = Assert.Throws<InvalidOperationException>(() => result.EnsureSuccess());
        Assert.Contains("timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Captures_output_exit_code_working_directory_and_environment()
    {
        var dir = Directory.CreateTempSubdirectory("runner-").FullName;
        try
        {
            var result = await ProcessRunner.RunAsync(
                "/bin/sh",
                ["-c", "echo \"$GREETING from $(pwd)\"; echo oops >&2; [ -z \"$HOME\" ] || exit 3"],
                workingDirectory: dir,
                environment: new Dictionary<string, string?> { ["GREETING"] = "hello", ["HOME"] = null });

            Assert.False(result.TimedOut);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal($"hello from {dir}", result.StandardOutput.Trim());
            Assert.Equal("oops", result.StandardError.Trim());
            result.EnsureSuccess();
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public async Task EnsureSuccess_reports_the_exit_code_and_stderr()
    {
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "echo broken >&2; exit 7"]);

        var error = Assert.Throws<InvalidOperationException>(() => result.EnsureSuccess());
        Assert.Contains("exited with code 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_program_throws_Win32Exception()
    {
        await Assert.ThrowsAsync<Win32Exception>(() => ProcessRunner.RunAsync("no-such-program-ivs", []));
    }
}
