using IvsServerless.Deployment.Routes;

namespace IvsServerless.Api.HttpApi;

/// <summary>
/// One function per concern in AWS (the contract's <see cref="RouteGroups"/>): each is this same handler restricted to
/// its groups. Locally one handler serves them all.
/// </summary>
public static class RouteGroupFilter
{
    /// <summary>
    /// The routes of the given groups, in table order. An unknown group, or one with no routes, is a
    /// configuration error: a function that would answer 404 to everything must not start.
    /// </summary>
    public static IReadOnlyList<Route> Filter(IEnumerable<Route> routes, IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(groups);
        var all = routes.ToList();
        var wanted = groups.ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new ArgumentException("At least one route group is required.", nameof(groups));
        }

        foreach (var group in wanted)
        {
            if (!RouteGroups.All.Contains(group) || all.All(r => r.Group != group))
            {
                throw new ArgumentException($"No route belongs to the route group '{group}'.", nameof(groups));
            }
        }

        return [.. all.Where(r => wanted.Contains(r.Group))];
    }
}
