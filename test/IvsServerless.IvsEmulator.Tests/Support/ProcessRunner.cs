using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace IvsServerless.IvsEmulator.Tests.Support;

/// <summary>
/// Runs an external program (node, npm, java, …) to completion with a time limit, capturing its output. On timeout
/// or cancellation the whole process tree is killed, and whatever it had printed is still returned.
/// Standard input is closed at once, so a program that waits for input ends instead of hanging.
/// </summary>
public static class ProcessRunner
{
    /// <summary>How long to wait for a killed process to go away and for its output pipes to close.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> (each passed as one argument, no shell
    /// quoting). <paramref name="environment"/> adds or overrides variables; a null value removes one.
    /// Returns when the process exits or <paramref name="timeout"/> passes (then <see cref="ProcessResult.TimedOut"/>
    /// is true). Throws <see cref="ProcessStartException"/> when the program cannot be started at all (e.g. not on
    /// PATH), and <see cref="OperationCanceledException"/> (after killing the process) when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var commandLine = string.Join(' ', [fileName, .. startInfo.ArgumentList.Select(Quote)]);
        var stdout = new OutputBuffer();
        var stderr = new OutputBuffer();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => stdout.Add(e.Data);
        process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);

        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ProcessStartException(fileName, $"Could not start '{commandLine}' in '{startInfo.WorkingDirectory}': {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            // Also waits for the output pipes to reach end of file, so nothing printed is lost.
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }

        stopwatch.Stop();
        return new ProcessResult(commandLine, timedOut ? null : process.ExitCode, stdout.Text, stderr.Text, stopwatch.Elapsed, timedOut, timeout);
    }

    /// <summary>
    /// The full path of <paramref name="program"/> on PATH (trying PATHEXT extensions such as <c>.cmd</c> on Windows),
    /// or null. Use it to fail with a clear message before <see cref="RunAsync"/>, and to start <c>npm</c> on Windows.
    /// </summary>
    public static string? FindOnPath(string program)
    {
        var extensions = OperatingSystem.IsWindows()
            ? ["", .. (Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(';', StringSplitOptions.RemoveEmptyEntries)]
            : new[] { "" };
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories
            .SelectMany(directory => extensions.Select(extension => Path.Combine(directory.Trim('"'), program + extension)))
            .FirstOrDefault(File.Exists);
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }

        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A grandchild that escaped the kill still holds the pipes: return what was captured so far.
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : $"\"{argument.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    /// <summary>Lines arrive on thread-pool threads; keep them in order under a lock.</summary>
    private sealed class OutputBuffer
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Add(string? line)
        {
            if (line is null)
            {
                return; // end of stream
            }

            lock (_text)
            {
                _text.Append(line).Append('\n');
            }
        }
    }
}

/// <summary>What a finished (or killed) process left behind.</summary>
/// <param name="ExitCode">Null when the process was killed on timeout.</param>
public sealed record ProcessResult(string CommandLine, int? ExitCode, string StandardOutput, string StandardError,
    TimeSpan Elapsed, bool TimedOut, TimeSpan Timeout)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A readable account for assertion messages: the command, how it ended, and the tail of both streams.</summary>
    public string Describe(int maxCharsPerStream = 4000)
    {
        var ending = TimedOut
            ? $"was killed after the {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s time limit"
            : $"exited with code {ExitCode} after {Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
        return $"`{CommandLine}` {ending}\n--- stdout ---\n{Tail(StandardOutput, maxCharsPerStream)}\n--- stderr ---\n{Tail(StandardError, maxCharsPerStream)}";
    }

    private static string Tail(string text, int max) =>
        text.Length == 0 ? "(empty)" : text.Length <= max ? text.TrimEnd() : "…" + text[^max..].TrimEnd();
}

/// <summary>The program could not be started at all (not installed, not on PATH, not executable).</summary>
public sealed class ProcessStartException(string fileName, string message, Exception inner) : Exception(message, inner)
{
    public string FileName { get; } = fileName;
}
