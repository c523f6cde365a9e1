using IvsServerless.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IvsServerless.LocalHost.WebConsole;

/// <summary>
/// The interactive API reference at <c>/docs</c> on the console origin: Swagger UI (npm <c>swagger-ui-dist</c>, pinned
/// in <c>src/api-reference</c>, installed with <c>npm ci --ignore-scripts</c> on the first request that needs it; no CDN)
/// over <c>openapi.yaml</c>. The page itself is <c>wwwroot/docs/</c>; "Try it out" calls the API front with a dev token.
/// </summary>
public static class ApiReference
{
    public const string Package = "swagger-ui-dist";

    /// <summary>The package's files the page loads; nothing else of node_modules is served.</summary>
    private static readonly Dictionary<string, string> VendorFiles = new(StringComparer.Ordinal)
    {
        ["swagger-ui-bundle.js"] = "text/javascript",
        ["swagger-ui.css"] = "text/css",
    };

    private static readonly Lock InstallLock = new();
    private static Task? _install;

    /// <summary>The npm folder pinning the package (a checkout's <c>src/api-reference</c>).</summary>
    public static string PackageFolder => RepoPaths.Combine("src", "api-reference");

    /// <summary>The contract, as the API project copies it beside the host's assembly.</summary>
    public static string Contract => Path.Combine(AppContext.BaseDirectory, "openapi.yaml");

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/docs/openapi.yaml", () => Results.File(Contract, "application/yaml"));
        app.MapGet("/docs/vendor/{file}", async (string file) =>
        {
            if (!VendorFiles.TryGetValue(file, out var contentType))
            {
                return Results.NotFound();
            }

            try
            {
                await InstallAsync();
            }
            catch (InvalidOperationException e)
            {
                return Results.Text(
                    $"The API reference needs npm: {e.Message}", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return Results.File(Path.Combine(PackageFolder, "node_modules", Package, file), contentType);
        });
    }

    /// <summary>One install per process; a failed one is tried again by the next request.</summary>
    private static Task InstallAsync()
    {
        lock (InstallLock)
        {
            if (_install is null || _install.IsFaulted || _install.IsCanceled)
            {
                _install = NpmPackages.EnsureInstalledAsync(PackageFolder, Package, ignoreScripts: true);
            }

            return _install;
        }
    }
}
