namespace IvsServerless.Deployment.Routes;

/// <summary>A route as API Gateway names it (<c>POST /stages/{stageId}/participant-tokens</c>) and the group whose function serves
/// it.</summary>
/// <param name="SignedUrl">The URL itself is the credential (a signature the endpoint has checked, for players that cannot send
/// a bearer token): served without the JWT authorizer.</param>
public sealed record RouteDeclaration(string Method, string Template, string Group, bool SignedUrl = false)
{
    public string Key => $"{Method} {Template}";

    /// <summary><c>GET /health</c> and the signed-URL routes are served without the JWT authorizer.</summary>
    public bool RequiresAuthorization => Group != RouteGroups.Health && !SignedUrl;
}

/// <summary>
/// The HTTP API's routes. The API binds one endpoint to each (and refuses to start if one is missing), the CDK stack
/// declares one API Gateway route per entry, the local front serves them, and openapi.yaml lists exactly these.
/// </summary>
public static class ApiRoutes
{
    public static RouteDeclaration CreateStage { get; } = new("POST", "/stages", RouteGroups.Stages);
    public static RouteDeclaration ListStages { get; } = new("GET", "/stages", RouteGroups.Stages);
    public static RouteDeclaration GetStage { get; } = new("GET", "/stages/{stageId}", RouteGroups.Stages);
    public static RouteDeclaration ListSessions { get; } = new("GET", "/stages/{stageId}/sessions", RouteGroups.Stages);
    public static RouteDeclaration GetSession { get; } = new("GET", "/stages/{stageId}/sessions/{sessionId}", RouteGroups.Stages);
    public static RouteDeclaration ListRecordings { get; } =
        new("GET", "/stages/{stageId}/sessions/{sessionId}/recordings", RouteGroups.Stages);
    public static RouteDeclaration DeleteRecording { get; } =
        new("DELETE", "/stages/{stageId}/recordings/{recordingId}", RouteGroups.Stages);

    /// <summary>An HLS playlist of a recording for players: the presigned S3 query in the URL is the credential (S3 checks it).</summary>
    public static RouteDeclaration RecordingPlaylist { get; } = new("GET", "/recordings/playlist", RouteGroups.Stages, SignedUrl: true);
    public static RouteDeclaration UpdateStage { get; } = new("PATCH", "/stages/{stageId}", RouteGroups.Stages);
    public static RouteDeclaration DeleteStage { get; } = new("DELETE", "/stages/{stageId}", RouteGroups.Stages);
    public static RouteDeclaration CreateParticipantToken { get; } = new(
        "POST", "/stages/{stageId}/participant-tokens", RouteGroups.Tokens);
    public static RouteDeclaration ExchangeParticipantToken { get; } = new(
        "POST", "/stages/{stageId}/participant-tokens/exchange", RouteGroups.Tokens);
    public static RouteDeclaration DisconnectParticipant { get; } =
        new("POST", "/stages/{stageId}/participants/{participantId}/disconnect", RouteGroups.Tokens);
    public static RouteDeclaration ListBans { get; } = new("GET", "/stages/{stageId}/bans", RouteGroups.Tokens);
    public static RouteDeclaration LiftBan { get; } = new("DELETE", "/stages/{stageId}/bans/{userId}", RouteGroups.Tokens);
    public static RouteDeclaration CreateIngestConfiguration { get; } =
        new("POST", "/stages/{stageId}/ingest-configurations", RouteGroups.Tokens);
    public static RouteDeclaration ListIngestConfigurations { get; } =
        new("GET", "/stages/{stageId}/ingest-configurations", RouteGroups.Tokens);
    public static RouteDeclaration DeleteIngestConfiguration { get; } =
        new("DELETE", "/stages/{stageId}/ingest-configurations/{ingestConfigurationId}", RouteGroups.Tokens);
    public static RouteDeclaration StartReplication { get; } = new("POST", "/stages/{stageId}/replications", RouteGroups.Tokens);
    public static RouteDeclaration ListReplications { get; } = new("GET", "/stages/{stageId}/replications", RouteGroups.Tokens);
    public static RouteDeclaration StopReplication { get; } =
        new("DELETE", "/stages/{stageId}/replications/{participantId}", RouteGroups.Tokens);
    public static RouteDeclaration StartComposition { get; } = new("POST", "/stages/{stageId}/compositions", RouteGroups.Compositions);
    public static RouteDeclaration ListCompositions { get; } = new("GET", "/stages/{stageId}/compositions", RouteGroups.Compositions);
    public static RouteDeclaration StopComposition { get; } =
        new("DELETE", "/stages/{stageId}/compositions/{compositionId}", RouteGroups.Compositions);

    /// <summary>The one route without the JWT authorizer: it reads no caller and touches no store or service.</summary>
    public static RouteDeclaration Health { get; } = new("GET", "/health", RouteGroups.Health);

    /// <summary>Every route, in the order the router tries them.</summary>
    public static IReadOnlyList<RouteDeclaration> All { get; } =
    [
        CreateStage, ListStages, GetStage, ListSessions, GetSession, ListRecordings, DeleteRecording, RecordingPlaylist,
        UpdateStage, DeleteStage,
        CreateParticipantToken, ExchangeParticipantToken, DisconnectParticipant, ListBans, LiftBan,
        CreateIngestConfiguration, ListIngestConfigurations, DeleteIngestConfiguration, StartReplication, ListReplications, StopReplication,
        StartComposition, ListCompositions, StopComposition, Health,
    ];

    /// <summary>The routes of the given groups, in table order.</summary>
    public static IReadOnlyList<RouteDeclaration> Of(IEnumerable<string> groups)
    {
        var wanted = groups.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(r => wanted.Contains(r.Group))];
    }
}
