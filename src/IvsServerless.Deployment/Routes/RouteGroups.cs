namespace IvsServerless.Deployment.Routes;

/// <summary>
/// Which function serves a route. In AWS each concern is its own function with its own role (stages, tokens,
/// compositions); locally the one <c>api</c> function serves them all.
/// </summary>
public static class RouteGroups
{
    /// <summary>Stage lifecycle and everything read about a stage (sessions, participants).</summary>
    public const string Stages = "stages";

    /// <summary>Participant access: issuing participant tokens, kicking and banning participants, encoders' ingest configurations and
    /// cross-stage replication (each acts on one participant's presence on a stage).</summary>
    public const string Tokens = "tokens";

    /// <summary>Server-side compositions.</summary>
    public const string Compositions = "compositions";

    /// <summary>The unauthenticated liveness route.</summary>
    public const string Health = "health";

    public static IReadOnlyList<string> All { get; } = [Stages, Tokens, Compositions, Health];
}
