namespace IvsServerless.Deployment.Settings;

/// <summary>
/// Live updates over WebSocket (docs/live-updates.md): who issues the user tokens the <c>$connect</c> authorizer accepts
/// (the same issuer and audiences as the HTTP API's JWT authorizer), and where the notifier posts messages.
/// </summary>
public sealed record LiveSettings
{
    public const string ManagementEndpointVariable = "LIVE_MANAGEMENT_ENDPOINT";

    /// <summary><c>LIVE_JWT_ISSUER</c>: the exact <c>iss</c> of user tokens; its JWKS is found through OIDC discovery.</summary>
    public string? JwtIssuer { get; init; }

    /// <summary><c>LIVE_JWT_AUDIENCES</c>: comma-separated; a token's <c>aud</c> (or <c>client_id</c>) must be one of them.</summary>
    public IReadOnlyList<string> JwtAudiences { get; init; } = [];

    /// <summary>
    /// <c>LIVE_MANAGEMENT_ENDPOINT</c>: the WebSocket API's connection management endpoint,
    /// <c>https://{api-id}.execute-api.{region}.amazonaws.com/{stage}</c>.
    /// </summary>
    public Uri? ManagementEndpoint { get; init; }

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        ("LIVE_JWT_ISSUER", JwtIssuer),
        ("LIVE_JWT_AUDIENCES", JwtAudiences.Count == 0 ? null : string.Join(',', JwtAudiences)),
        (ManagementEndpointVariable, ManagementEndpoint?.ToString()));

    public static LiveSettings Read(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new LiveSettings
        {
            JwtIssuer = environment.Text("LIVE_JWT_ISSUER"),
            JwtAudiences = environment.Text("LIVE_JWT_AUDIENCES")?.Split(
                ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                ?? [],
            ManagementEndpoint = environment.Url(ManagementEndpointVariable),
        };
        if ((settings.JwtIssuer is null) != (settings.JwtAudiences.Count == 0))
        {
            environment.Fail("LIVE_JWT_ISSUER goes with LIVE_JWT_AUDIENCES");
        }

        return settings;
    }

    /// <summary>The authorizer's settings, or an init error naming what is missing.</summary>
    public (string Issuer, IReadOnlyList<string> Audiences) RequireJwt() =>
        JwtIssuer is { } issuer
            ? (issuer, JwtAudiences)
            : throw new InvalidOperationException("Invalid function configuration: LIVE_JWT_ISSUER and LIVE_JWT_AUDIENCES are required.");

    public Uri RequireManagementEndpoint() => ManagementEndpoint
        ?? throw new InvalidOperationException("Invalid function configuration: LIVE_MANAGEMENT_ENDPOINT is required.");
}
