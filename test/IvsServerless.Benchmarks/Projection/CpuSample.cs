using System.Diagnostics;
using System.Globalization;

namespace IvsServerless.Benchmarks.Projection;

/// <summary>CPU time used so far by this process and by the DynamoDB Local JVM (Linux <c>/proc</c>; null elsewhere).</summary>
public sealed record CpuSample(TimeSpan Client, TimeSpan? Engine)
{
    /// <summary>Linux reports process times in USER_HZ ticks, 100 per second on every architecture it runs on.</summary>
    private const double TicksPerSecond = 100;

    public static CpuSample Take(int? enginePid)
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSample(self.TotalProcessorTime, enginePid is { } pid ? Read(pid) : null);
    }

    /// <summary>The JVM serving <paramref name="port"/> (its command line names DynamoDBLocal.jar and that port).</summary>
    public static int? FindEngine(int port)
    {
        if (!Directory.Exists("/proc"))
        {
            return null;
        }

        var portText = port.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var portAt = Array.IndexOf(args, "-port");
                if (args.Length > 0 && args[0].EndsWith("java", StringComparison.Ordinal)
                    && args.Any(a => a.EndsWith("DynamoDBLocal.jar", StringComparison.Ordinal))
                    && portAt >= 0 && portAt + 1 < args.Length && args[portAt + 1] == portText)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        return null;
    }

    /// <summary>utime + stime of <c>/proc/pid/stat</c> (fields 14 and 15; the name in parentheses may hold spaces).</summary>
    public static TimeSpan? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
