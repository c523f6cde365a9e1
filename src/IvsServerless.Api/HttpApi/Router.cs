using IvsServerless.Api.Errors;
using IvsServerless.Deployment.Routes;

namespace IvsServerless.Api.HttpApi;

public delegate Task<APIGatewayHttpApiV2ProxyResponse> Endpoint(ApiCall call);

/// <summary>A route of the contract (<see cref="ApiRoutes"/>) bound to the endpoint that serves it.</summary>
public sealed record Route(RouteDeclaration Declaration, Endpoint Endpoint)
{
    public string Method => Declaration.Method;

    public string Template => Declaration.Template;

    /// <summary>As API Gateway names it: <c>POST /stages/{stageId}/participant-tokens</c>.</summary>
    public string Key => Declaration.Key;

    /// <summary>The function that serves this route in AWS (see <see cref="RouteGroups"/>).</summary>
    public string Group => Declaration.Group;

    internal string[] Segments { get; } = Declaration.Template.Trim('/').Split('/');

    /// <summary>The path parameters if <paramref name="path"/> fits the template, else null.</summary>
    internal Dictionary<string, string>? Match(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts.Length != Segments.Length)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i++)
        {
            var segment = Segments[i];
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                parameters[segment[1..^1]] = Uri.UnescapeDataString(parts[i]);
            }
            else if (!string.Equals(segment, parts[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return parameters;
    }
}

/// <summary>
/// Picks the endpoint. API Gateway already matched the route when it sends a concrete <c>routeKey</c>;
/// behind <c>$default</c> (or a local front) the method and raw path decide.
/// </summary>
public sealed class Router(IEnumerable<Route> routes)
{
    private readonly Route[] _routes = [.. routes];

    public IReadOnlyList<Route> Routes => _routes;

    public (Route Route, IReadOnlyDictionary<string, string> PathParameters) Resolve(APIGatewayHttpApiV2ProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RawPath ?? request.RequestContext?.Http?.Path ?? "/";
        var routeKey = request.RouteKey ?? request.RequestContext?.RouteKey;
        var byKey = _routes.FirstOrDefault(r => r.Key == routeKey);
        if (byKey is not null)
        {
            var parameters = byKey.Match(path) ?? (request.PathParameters is { } p
                ? new Dictionary<string, string>(p, StringComparer.Ordinal)
                : []);
            return (byKey, parameters);
        }

        var method = (request.RequestContext?.Http?.Method ?? "").ToUpperInvariant();
        var candidates = _routes.Select(r => (Route: r, Parameters: r.Match(path))).Where(c => c.Parameters is not null).ToList();
        foreach (var (route, parameters) in candidates)
        {
            if (route.Method == method)
            {
                return (route, parameters!);
            }
        }

        throw candidates.Count > 0
            ? new MethodNotAllowedException(candidates.Select(c => c.Route.Method).Distinct())
            : new NotFoundException("route-not-found", "No such route.");
    }
}

/// <summary>405: the path exists, the method does not.</summary>
public sealed class MethodNotAllowedException(IEnumerable<string> allowed)
    : ApiException(405, "method-not-allowed", "Method Not Allowed", "This method is not allowed on this path.")
{
    public IReadOnlyList<string> Allowed { get; } = [.. allowed];
}
