using System.ComponentModel;
using System.Text.Json;
namespace IvsServerless.Local;

/// <summary>
/// The repository's npm folders (a package.json pinning exact versions plus its committed package-lock.json, such as
/// <c>src/dynamodb-local</c> or the ones under test/): installs their node_modules with <c>npm ci</c> the first time
/// the local host or a test needs them. The one way this repository installs npm packages.
/// </summary>
public static class NpmPackages
{
    public const string NodeHint = "Install Node.js 20+ with npm (Debian/Ubuntu: apt-get install -y nodejs npm).";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The exact version <paramref name="folder"/>/package.json pins for <paramref name="package"/>.</summary>
    public static string PinnedVersion(string folder, string package)
    {
        var manifest = Path.Combine(folder, "package.json");
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("dependencies", out var dependencies)
            && dependencies.TryGetProperty(package, out var version)
            && version.GetString() is { Length: > 0 } pinned
                ? pinned
                : throw new InvalidOperationException($"{manifest} does not pin {package} in its dependencies.");
    }

    /// <summary>The version of <paramref name="package"/> installed in <paramref name="folder"/>/node_modules, or null.</summary>
    public static string? InstalledVersion(string folder, string package)
    {
        var manifest = Path.Combine(folder, "node_modules", package, "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    /// <summary>
    /// Runs <c>npm ci</c> in <paramref name="folder"/> unless its node_modules already holds the version of
    /// <paramref name="package"/> that package.json pins (a fresh clone has none; a version bump reinstalls).
    /// One process at a time per folder. Returns the npm run, or null when nothing had to be installed.
    /// </summary>
    /// <param name="ignoreScripts">Pass <c>--ignore-scripts</c>, for packages whose payload ships in the tarball.</param>
    /// <exception cref="InvalidOperationException">npm is missing or <c>npm ci</c> failed; the message says what to do.</exception>
    public static async Task<ProcessResult?> EnsureInstalledAsync(
        string folder, string package, bool ignoreScripts = false, CancellationToken cancellationToken = default)
    {
        var pinned = PinnedVersion(folder, package);
        if (InstalledVersion(folder, package) == pinned)
        {
            return null;
        }

        using (await CrossProcessLock.AcquireAsync("npm-ci", folder, InstallTimeout, cancellationToken))
        {
            if (InstalledVersion(folder, package) == pinned)
            {
                return null;
            }

            var npm = ProcessRunner.FindOnPath("npm") ?? throw new InvalidOperationException(
                $"{folder}/node_modules lacks {package} {pinned} and `npm` is not on PATH to install it. {NodeHint} Or run `npm ci` in "
                    + $"{folder} yourself.");
            ProcessResult run;
            try
            {
                run = await ProcessRunner.RunAsync(
                    npm,
                    ["ci", "--no-audit", "--no-fund", .. ignoreScripts ? ["--ignore-scripts"] : Array.Empty<string>()],
                    folder,
                    new Dictionary<string, string?> { ["npm_config_update_notifier"] = "false" },
                    InstallTimeout,
                    cancellationToken);
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException($"Cannot run `npm`: {e.Message}. {NodeHint}", e);
            }

            if (!run.Succeeded)
            {
                throw new InvalidOperationException($"`npm ci` in {folder} failed (is the npm registry reachable?):\n{run.Describe()}");
            }

            return InstalledVersion(folder, package) == pinned
                ? run
                : throw new InvalidOperationException(
                    $"`npm ci` in {folder} succeeded, yet node_modules does not hold {package} {pinned}.");
        }
    }
}
