using System.Runtime.InteropServices;
using IvsServerless.Local;

namespace IvsServerless.Benchmarks.Support;

/// <summary>What the numbers were measured on, for the summary: results are only comparable on like machines.</summary>
public sealed record MachineInfo(
    int Cores, string CpuModel, double MemoryGb, string Os, string Runtime, string Configuration, string? Commit, DateTimeOffset MeasuredAt)
{
    public static async Task<MachineInfo> DescribeAsync()
    {
        string? commit = null;
        try
        {
            var git = await ProcessRunner.RunAsync(
                "git", ["rev-parse", "--short", "HEAD"], RepoPaths.Root, timeout: TimeSpan.FromSeconds(10));
            commit = git.Succeeded ? git.StandardOutput.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine: the summary just has no commit.
        }

        return new MachineInfo(
            Environment.ProcessorCount,
            ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Math.Round(
                double.Parse(
                ProcField("/proc/meminfo", "MemTotal")?.Split(' ')[0]
                ?? "0", System.Globalization.CultureInfo.InvariantCulture) / 1024 / 1024, 1),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
#if DEBUG
            "Debug",
#else
            "Release",
#endif
            commit,
            DateTimeOffset.UtcNow);
    }

    private static string? ProcField(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        return File.ReadLines(file)
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Contains(':', StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();
    }
}
