namespace IvsServerless.LocalHost.ApiFront;

/// <summary>A matched route: its key (<c>GET /stages/{stageId}</c>) and the path parameters.</summary>
public sealed record RouteMatch(string RouteKey, IDictionary<string, string> PathParameters);

/// <summary>
/// Route selection as API Gateway HTTP API does it for explicit routes (no <c>$default</c>): the method and every
/// path segment must match, a <c>{name}</c> segment matches one non-empty segment, matching is case-sensitive, and
/// a request that matches no route gets 404 before any authorizer runs.
/// </summary>
public sealed class HttpApiRoutes
{
    private readonly (string Method, string Key, string[] Segments)[] _routes;

    /// <param name="routeKeys">Keys such as <c>POST /stages/{stageId}/participant-tokens</c>.</param>
    public HttpApiRoutes(IEnumerable<string> routeKeys)
    {
        ArgumentNullException.ThrowIfNull(routeKeys);
        _routes = [.. routeKeys.Select(key =>
        {
            var parts = key.Split(' ', 2);
            if (parts.Length != 2 || !parts[1].StartsWith('/'))
            {
                throw new ArgumentException($"'{key}' is not a route key like 'GET /path'.", nameof(routeKeys));
            }

            return (parts[0], key, parts[1].Split('/'));
        })];
    }

    public IReadOnlyList<string> Keys => [.. _routes.Select(r => r.Key)];

    /// <param name="path">The request path, still percent-encoded (as sent).</param>
    public RouteMatch? Match(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('/');
        foreach (var (routeMethod, key, segments) in _routes)
        {
            if (routeMethod != method || segments.Length != parts.Length)
            {
                continue;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            var matched = true;
            for (var i = 0; i < parts.Length && matched; i++)
            {
                var segment = segments[i];
                if (segment.Length > 2 && segment[0] == '{' && segment[^1] == '}')
                {
                    matched = parts[i].Length > 0;
                    parameters[segment[1..^1]] = Uri.UnescapeDataString(parts[i]);
                }
                else
                {
                    matched = string.Equals(segment, parts[i], StringComparison.Ordinal);
                }
            }

            if (matched)
            {
                return new RouteMatch(key, parameters);
            }
        }

        return null;
    }
}
