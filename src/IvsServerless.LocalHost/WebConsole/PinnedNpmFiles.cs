using IvsServerless.Local;
using Microsoft.AspNetCore.Http;

namespace IvsServerless.LocalHost.WebConsole;

/// <summary>
/// Browser files of an npm package pinned in one of the repository's npm folders (exact version, committed lockfile),
/// served on the console origin: only the files named here, nothing else of node_modules. The folder is installed with
/// <c>npm ci --ignore-scripts</c> on the first request that needs it (once per process; a failed install is tried again
/// by the next request), so a fresh checkout needs nothing but npm on PATH.
/// </summary>
/// <param name="folder">The npm folder inside the repository, with '/' separators, e.g. <c>src/api-reference</c>.</param>
/// <param name="package">The pinned package.</param>
/// <param name="files">Path inside the package → content type.</param>
/// <param name="purpose">What needs it, for the 503 answer when npm is missing or fails.</param>
public sealed class PinnedNpmFiles(string folder, string package, IReadOnlyDictionary<string, string> files, string purpose)
{
    private readonly Lock _installLock = new();
    private Task? _install;

    /// <summary>The npm folder in this checkout (found when first asked, so a type holding one never fails to load).</summary>
    public string Folder => RepoPaths.Combine(folder);

    public string Package => package;

    /// <summary>Where a served file lies once installed.</summary>
    public string PathOf(string file) => Path.Combine([Folder, "node_modules", package, .. file.Split('/')]);

    /// <summary>The named file (installing the package first when needed); 404 for any other name, 503 when npm fails.</summary>
    public async Task<IResult> ServeAsync(string name)
    {
        if (!files.TryGetValue(name, out var contentType))
        {
            return Results.NotFound();
        }

        try
        {
            await InstallAsync();
        }
        catch (InvalidOperationException e)
        {
            return Results.Text($"{purpose} needs npm: {e.Message}", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.File(PathOf(name), contentType);
    }

    private Task InstallAsync()
    {
        lock (_installLock)
        {
            if (_install is null || _install.IsFaulted || _install.IsCanceled)
            {
                _install = NpmPackages.EnsureInstalledAsync(Folder, package, ignoreScripts: true);
            }

            return _install;
        }
    }
}
