using IvsServerless.Api.Tests.Support;
using IvsServerless.Deployment.Routes;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;

namespace IvsServerless.Api.Tests;

/// <summary>openapi.yaml and the router describe the same API: no undocumented and no phantom routes.</summary>
public sealed class OpenApiTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    [Fact]
    public void The_document_lists_exactly_the_routes_the_router_serves()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "openapi.yaml"));
        Assert.Equal("openapi: 3.1.0", lines[0]);

        var documented = DocumentedRoutes(lines);
        using var http = new HttpClient();
        var handler = new ApiHandler(new InMemoryStageStore(), new InMemoryCompositionStore(), new InMemoryUsageLedger(),
            ApiIvsPorts.Of(new IvsRealTimeAdapter(
                new IvsRealTimeClient(
                    http, new IvsRealTimeClientOptions { Region = "us-east-1" }, new Amazon.Runtime.AnonymousAWSCredentials()))),
            new ApiOptions { DeploymentTag = "tests" });
        var served = handler.Routes.Select(r => r.Key).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(served, documented);
    }

    [Fact]
    public void Every_operation_but_the_unauthenticated_ones_documents_problem_responses_for_401()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi.yaml"));
        var open = ApiRoutes.All.Where(r => !r.RequiresAuthorization).Select(r => r.Key).ToHashSet();
        var authenticated = DocumentedRoutes(text.Split('\n')).Count(r => !open.Contains(r));
        Assert.Equal(authenticated, text.Split("'401': { $ref: '#/components/responses/Unauthorized' }").Length - 1);
        Assert.Equal(open.Count, text.Split("security: []").Length - 1);
        Assert.Contains("application/problem+json", text, StringComparison.Ordinal);
    }

    // A deliberately tiny reader: top-level `paths:`, path keys indented 2, operation keys indented 4.
    private static List<string> DocumentedRoutes(IEnumerable<string> lines)
    {
        var routes = new List<string>();
        var inPaths = false;
        string? path = null;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                inPaths = line == "paths:";
                continue;
            }

            if (!inPaths)
            {
                continue;
            }

            if (line.StartsWith("  /", StringComparison.Ordinal) && line.EndsWith(':'))
            {
                path = line.Trim().TrimEnd(':');
            }
            else if (path is not null && line.StartsWith("    ", StringComparison.Ordinal)
                && !line.StartsWith("     ", StringComparison.Ordinal))
            {
                var key = line.Trim().TrimEnd(':');
                if (Methods.Contains(key))
                {
                    routes.Add($"{key.ToUpperInvariant()} {path}");
                }
            }
        }

        return [.. routes.Order(StringComparer.Ordinal)];
    }
}
