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
    private static readonly PinnedNpmFiles VendorFiles = new(
        "src/api-reference", Package,
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["swagger-ui-bundle.js"] = "text/javascript",
            ["swagger-ui.css"] = "text/css",
        },
        "The API reference");

    /// <summary>The npm folder pinning the package (a checkout's <c>src/api-reference</c>).</summary>
    public static string PackageFolder => VendorFiles.Folder;

    /// <summary>The contract, as the API project copies it beside the host's assembly.</summary>
    public static string Contract => Path.Combine(AppContext.BaseDirectory, "openapi.yaml");

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/docs/openapi.yaml", () => Results.File(Contract, "application/yaml"));
        app.MapGet("/docs/vendor/{file}", (string file) => VendorFiles.ServeAsync(file));
    }
}
