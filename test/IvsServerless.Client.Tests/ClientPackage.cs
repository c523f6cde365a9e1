using System.Globalization;
using IvsServerless.Local;

namespace IvsServerless.Client.Tests;

/// <summary>
/// clients/typescript: an npm folder (exact pins, committed lockfile) installed with <c>npm ci</c> the first time a
/// test needs it, and the node commands the tests run in it.
/// </summary>
public static class ClientPackage
{
    /// <summary>The package whose pinned version tells whether node_modules is installed (a dependency, not a dev one).</summary>
    public const string ProbePackage = "openapi-fetch";

    public static readonly TimeSpan NodeTimeout = TimeSpan.FromMinutes(3);

    public static string Folder => RepoPaths.Combine("clients", "typescript");

    public static string Node => ProcessRunner.FindOnPath("node")
        ?? throw new InvalidOperationException($"`node` is not on PATH. {NpmPackages.NodeHint}");

    /// <summary>Installs node_modules when missing or stale; returns what it did, for the test output.</summary>
    public static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        var run = await NpmPackages.EnsureInstalledAsync(Folder, ProbePackage, cancellationToken: cancellationToken);
        return run is null ? "npm ci: not needed" : $"npm ci: {Seconds(run.Elapsed)}";
    }

    /// <summary>Runs <c>node args…</c> in clients/typescript.</summary>
    public static Task<ProcessResult> NodeAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(Node, arguments, Folder, environment, NodeTimeout, cancellationToken);

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
