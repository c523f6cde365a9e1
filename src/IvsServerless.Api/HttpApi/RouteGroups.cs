namespace IvsServerless.Api.HttpApi;

/// <summary>
/// Which function serves a route. In AWS each concern is its own function with its own role (stages,
/// tokens, compositions); each is this same handler restricted to its groups. Locally one handler serves them all.
/// A route belongs to <see cref="Stages"/> unless it says otherwise, so new stage routes (sessions, …) land there.
/// </summary>
public static class RouteGroups
{
    /// <summary>Stage lifecycle and everything read about a stage (sessions, participants).</summary>
    public const string Stages = "stages";

    /// <summary>Participant access: issuing participant tokens and kicking participants (both act on one participant's access to a stage).</summary>
    public const string Tokens = "tokens";

    /// <summary>Server-side compositions.</summary>
    public const string Compositions = "compositions";

    /// <summary>The unauthenticated liveness route.</summary>
    public const string Health = "health";

    public static IReadOnlyList<string> All { get; } = [Stages, Tokens, Compositions, Health];

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
            if (!All.Contains(group) || all.All(r => r.Group != group))
            {
                throw new ArgumentException($"No route belongs to the route group '{group}'.", nameof(groups));
            }
        }

        return [.. all.Where(r => wanted.Contains(r.Group))];
    }
}
