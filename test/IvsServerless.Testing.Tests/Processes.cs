namespace IvsServerless.Testing.Tests;

/// <summary>Linux /proc look-ups, to prove processes are really gone.</summary>
internal static class Processes
{
    // A killed process whose parent has not reaped it yet is a zombie: gone for our purposes.
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static IReadOnlyList<int> DynamoDbLocalOnPort(int port) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && IsRunning(pid) && IsDynamoDbLocal(pid, port))];

    private static bool IsDynamoDbLocal(int pid, int port)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Any(a => a.EndsWith("DynamoDBLocal.jar", StringComparison.Ordinal))
                && args.Contains("-port") && args.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
