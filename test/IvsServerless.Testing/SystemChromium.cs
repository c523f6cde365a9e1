using System.ComponentModel;
using IvsServerless.Local;
using Xunit;

namespace IvsServerless.Testing;

/// <summary>
/// The machine's Chromium (Debian package <c>chromium</c>) for browser tests, which drive it with the pinned npm
/// <c>playwright-core</c> (that package downloads no browser). Installed with apt-get the first time a test needs
/// it, when the tests run as root (as on CI machines); elsewhere those tests are skipped with the reason.
/// </summary>
public static class SystemChromium
{
    /// <summary>Overrides where Chromium is looked for (any Chromium or Chrome executable).</summary>
    public const string PathVariable = "CHROMIUM_PATH";

    public const string InstallCommand = "apt-get install -y --no-install-recommends chromium";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(15);

    // apt-get waits this long for another apt/dpkg run (another helper, unattended upgrades) instead of failing.
    private const string DpkgLockWaitSeconds = "600";

    /// <summary>The Chromium executable, or null if there is none.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        return ProcessRunner.FindOnPath("chromium") ?? ProcessRunner.FindOnPath("chromium-browser");
    }

    /// <summary>Why browser tests cannot run here, or null when Chromium is present or can be installed.</summary>
    public static string? WhyUnavailable()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? null : $"{PathVariable} is set to {configured}, which does not exist.";
        }

        if (Find() is not null)
        {
            return null;
        }

        if (!OperatingSystem.IsLinux() || ProcessRunner.FindOnPath("apt-get") is null)
        {
            return $"Chromium is not installed and this is not a Debian-like system to install it with apt-get. Install Chromium and set "
                + $"{PathVariable}.";
        }

        return Environment.IsPrivilegedProcess
            ? null
            : $"Chromium is not installed and the tests do not run as root to install it. Run `sudo {InstallCommand}` once.";
    }

    /// <summary>
    /// The Chromium executable, installing the Debian package first if it is missing (one process at a time;
    /// runs <c>apt-get update</c> and retries when the package lists are missing or stale).
    /// </summary>
    /// <returns>The executable and the apt-get runs made, empty when Chromium was already there.</returns>
    /// <exception cref="InvalidOperationException">It cannot be installed; the message has the apt-get output.</exception>
    public static async Task<(string Executable, IReadOnlyList<ProcessResult> Installs)> EnsureAsync(
        CancellationToken cancellationToken = default)
    {
        if (Find() is { } present)
        {
            return (present, []);
        }

        if (WhyUnavailable() is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        using (await CrossProcessLock.AcquireAsync("apt-get", "chromium", InstallTimeout, cancellationToken))
        {
            if (Find() is { } installedMeanwhile)
            {
                return (installedMeanwhile, []);
            }

            var runs = new List<ProcessResult>();
            var install = await AptGetAsync(["install", "-y", "--no-install-recommends", "chromium"], cancellationToken);
            runs.Add(install);
            if (!install.Succeeded && (install.StandardError.Contains("Unable to locate package", StringComparison.Ordinal)
                || install.StandardError.Contains("has no installation candidate", StringComparison.Ordinal)
                || install.StandardError.Contains("Unable to fetch some archives", StringComparison.Ordinal)))
            {
                runs.Add(await AptGetAsync(["update"], cancellationToken));
                install = await AptGetAsync(["install", "-y", "--no-install-recommends", "chromium"], cancellationToken);
                runs.Add(install);
            }

            if (!install.Succeeded)
            {
                throw new InvalidOperationException($"`{InstallCommand}` failed (is the Debian mirror reachable?):\n{install.Describe()}");
            }

            return (Find() ?? throw new InvalidOperationException($"`{InstallCommand}` succeeded, yet no `chromium` is on PATH."), runs);
        }
    }

    private static async Task<ProcessResult> AptGetAsync(string[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessRunner.RunAsync(
                "apt-get",
                ["-o", $"DPkg::Lock::Timeout={DpkgLockWaitSeconds}", .. arguments],
                environment: new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" },
                timeout: InstallTimeout,
                cancellationToken: cancellationToken);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run apt-get: {e.Message}", e);
        }
    }
}

/// <summary>
/// A fact that needs Chromium: skipped, with the reason, where it is neither installed nor installable
/// (see <see cref="SystemChromium.WhyUnavailable"/>). Decided when tests are discovered.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (SystemChromium.WhyUnavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}
