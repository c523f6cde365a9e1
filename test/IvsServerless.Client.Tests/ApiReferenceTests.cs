using System.Net;
using IvsServerless.Local;
using IvsServerless.LocalHost;
using IvsServerless.LocalHost.WebConsole;
using IvsServerless.Testing;
using Xunit.Abstractions;

namespace IvsServerless.Client.Tests;

/// <summary>
/// The API reference at <c>/docs</c> on the console origin, over HTTP: the page, Swagger UI's files from the pinned
/// npm package (nothing else of node_modules), and the contract. The browser flow of test/IvsServerless.Console.Tests
/// renders it and runs "Try it out" with a dev token.
/// </summary>
public sealed class ApiReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Docs_serves_swagger_ui_from_the_pinned_package_and_the_contract()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var dynamoDb = await DynamoDbLocal.GetSharedAsync();
        await using var host = await LocalHost.LocalHost.StartAsync(
            LocalHostOptions.OnFreePorts(new Uri(dynamoDb.ServiceUrl), $"docs-{Guid.NewGuid():N}"[..20]), timeout.Token);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.ConsoleUrl };

        using (var redirect = await http.GetAsync(new Uri("/docs", UriKind.Relative), timeout.Token))
        {
            Assert.True(redirect.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect,
                $"/docs answered {redirect.StatusCode}");
            Assert.EndsWith("/docs/", redirect.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        var page = await http.GetStringAsync(new Uri("/docs/", UriKind.Relative), timeout.Token);
        Assert.Contains("vendor/swagger-ui-bundle.js", page, StringComparison.Ordinal);
        Assert.Contains("docs.js", page, StringComparison.Ordinal);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var bundle = await http.GetAsync(new Uri("/docs/vendor/swagger-ui-bundle.js", UriKind.Relative), timeout.Token);
        output.WriteLine($"first /docs/vendor request (npm ci in src/api-reference when needed): {ClientPackage.Seconds(clock.Elapsed)}");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("text/javascript", bundle.Content.Headers.ContentType?.MediaType);
        var served = await bundle.Content.ReadAsByteArrayAsync(timeout.Token);
        var installed = Path.Combine(ApiReference.PackageFolder, "node_modules", ApiReference.Package);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(installed, "swagger-ui-bundle.js"), timeout.Token), served);
        Assert.Equal(NpmPackages.PinnedVersion(ApiReference.PackageFolder, ApiReference.Package),
            NpmPackages.InstalledVersion(ApiReference.PackageFolder, ApiReference.Package));

        using (var css = await http.GetAsync(new Uri("/docs/vendor/swagger-ui.css", UriKind.Relative), timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        }

        foreach (var other in new[] { "package.json", "index.html", "..%2F..%2Fpackage.json", "swagger-ui-bundle.js.map" })
        {
            using var refused = await http.GetAsync(new Uri("/docs/vendor/" + other, UriKind.Relative), timeout.Token);
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"/docs/vendor/{other} answered {refused.StatusCode}");
        }

        var contract = await http.GetStringAsync(new Uri("/docs/openapi.yaml", UriKind.Relative), timeout.Token);
        Assert.Equal(await File.ReadAllTextAsync(RepoPaths.Combine("src", "IvsServerless.Api", "openapi.yaml"), timeout.Token), contract);
    }
}
