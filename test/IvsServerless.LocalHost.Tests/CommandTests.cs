using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using IvsServerless.Local;

namespace IvsServerless.LocalHost.Tests;

/// <summary>The command itself (the built executable), as a newcomer runs it: ready banner, Ctrl+C, a taken port.</summary>
public sealed partial class CommandTests
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "IvsServerless.LocalHost.dll");

    private static ProcessStartInfo Command(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Executable);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    [Fact]
    public async Task A_taken_port_is_one_clear_line_and_exit_code_1()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var result = await ProcessRunner.RunAsync(
            "dotnet", [Executable, "--api-port", port, "--console-port", "0", "--emulator-port", "0", "--dynamodb-port", "0"],
            timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Port {port} for the API front is in use; choose another (see --help) or stop what is using it.", result.StandardError.Trim());
    }

    [Fact]
    public async Task Ctrl_C_after_ready_stops_everything_and_leaves_no_Java_behind()
    {
        if (!OperatingSystem.IsLinux())
        {
            // SIGINT and /proc are how this test stops the command and proves the JVM is gone.
            return;
        }

        using var process = Process.Start(
            Command("--api-port", "0", "--console-port", "0", "--emulator-port", "0", "--dynamodb-port", "0"))!;
        var output = new List<string>();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(
                    new InvalidOperationException("The command ended before it was ready:\n" + string.Join('\n', output)));
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            if (e.Data.Contains("Press Ctrl+C", StringComparison.Ordinal))
            {
                ready.TrySetResult(string.Join('\n', output));
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var banner = await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.Matches(ReadyLine(), banner);
            var dynamoPort = int.Parse(DynamoDbLine().Match(banner).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.NotEmpty(JavaOnPort(dynamoPort));

            using (Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])!)
            {
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            lock (output)
            {
                Assert.Contains("Stopped.", output);
                Assert.Contains(output, line => line.StartsWith("Dead letters", StringComparison.Ordinal));
            }

            Assert.Empty(JavaOnPort(dynamoPort));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Running DynamoDB Local JVMs listening on <paramref name="port"/>, from /proc.</summary>
    internal static List<int> JavaOnPort(int port) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && IsDynamoDbLocal(pid, port))];

    private static bool IsDynamoDbLocal(int pid, int port)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            if (stat[(stat.LastIndexOf(')') + 2)..][0] == 'Z')
            {
                return false;
            }

            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Any(a => a.EndsWith("DynamoDBLocal.jar", StringComparison.Ordinal))
                && args.SkipWhile(a => a != "-port").Skip(1).FirstOrDefault() == port.ToString(CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"ready in \d+\.\d s")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"DynamoDB Local\s+http://127\.0\.0\.1:(\d+)")]
    private static partial Regex DynamoDbLine();
}
