using System.Diagnostics;
using System.Text;

namespace IvsServerless.Local;

/// <summary>The outcome of <see cref="ProcessRunner.RunAsync"/>.</summary>
public sealed record ProcessResult(
    string Command,
    int ProcessId,
    int ExitCode,
    bool TimedOut,
    TimeSpan Elapsed,
    string StandardOutput,
    string StandardError)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>Throws with <see cref="Describe"/> unless the process exited 0 in time.</summary>
    public ProcessResult EnsureSuccess() => Succeeded ? this : throw new InvalidOperationException(Describe());

    /// <summary>A readable account for failure messages: the command, how it ended, and the tail of both streams.</summary>
    public string Describe()
    {
        var outcome = TimedOut
            ? $"was killed after the {Elapsed.TotalSeconds:0.#} s timeout"
            : $"exited with code {ExitCode} after {Elapsed.TotalSeconds:0.0} s";
        return $"`{Command}` {outcome}.\n--- stderr ---\n{Tail(StandardError)}\n--- stdout ---\n{Tail(StandardOutput)}";
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}

/// <summary>Runs a command to completion, capturing its output; on timeout kills the whole process tree.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// The full path of <paramref name="program"/> on PATH (trying PATHEXT extensions such as <c>.cmd</c> on Windows),
    /// or null: lets a fixture fail with a clear message naming what to install.
    /// </summary>
    public static string? FindOnPath(string program)
    {
        var extensions = OperatingSystem.IsWindows()
            ? [
                "", .. (Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(
                ';', StringSplitOptions.RemoveEmptyEntries)]
            : new[] { "" };
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(
            Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories
            .SelectMany(directory => extensions.Select(extension => Path.Combine(directory.Trim('"'), program + extension)))
            .FirstOrDefault(File.Exists);
    }

    // After a kill, output still buffered in pipes is worth a short wait, but a grandchild that escaped the
    // tree (and so still holds the pipes open) must not hang the caller.
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(5);

    /// <param name="environment">Variables to set for the child; a null value removes the variable.</param>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (for example, not installed).</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var command = string.Join(' ', [fileName, .. start.ArgumentList]);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);

        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Nothing is ever typed into it: a child that reads stdin sees EOF instead of waiting forever.
        process.StandardInput.Close();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            timedOut = !cancellationToken.IsCancellationRequested;
            using var drain = new CancellationTokenSource(DrainAfterKill);
            try
            {
                await process.WaitForExitAsync(drain.Token);
            }
            catch (OperationCanceledException)
            {
                // Keep whatever output arrived; the tree was killed, so nothing of ours is left running.
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return new ProcessResult(
            command,
            process.Id,
            process.HasExited ? process.ExitCode : -1,
            timedOut,
            clock.Elapsed,
            Read(stdout),
            Read(stderr));
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
