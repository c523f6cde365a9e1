using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AwsApigatewayv2Authorizers;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using IvsServerless.Deployment.Routes;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace IvsServerless.Cdk.Constructs;

/// <param name="FunctionsByRouteGroup">Which function serves each <see cref="RouteGroups"/> value; every group must be present.</param>
public sealed record HttpApiFrontProps(
    string JwtIssuer,
    IReadOnlyList<string> JwtAudiences,
    IReadOnlyList<string> CorsAllowedOrigins,
    int RateLimit,
    int BurstLimit,
    IReadOnlyDictionary<string, ServerlessFunction> FunctionsByRouteGroup);

/// <summary>
/// The HTTP API: one route per route of the contract (<see cref="ApiRoutes"/>), each integrated
/// with the function of its route group, all behind the JWT authorizer except <c>GET /health</c>; throttled at the stage.
/// </summary>
public sealed class HttpApiFront : Construct
{
    public HttpApi Api { get; }

    public HttpStage Stage { get; }

    public HttpApiFront(Construct scope, string id, HttpApiFrontProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var missing = ApiRoutes.All.Select(r => r.Group).Distinct().Where(g => !props.FunctionsByRouteGroup.ContainsKey(g)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException("No function serves the route groups " + string.Join(", ", missing) + ".", nameof(props));
        }

        Api = new HttpApi(this, "HttpApi", new HttpApiProps
        {
            Description = "IvsServerless: stages, participant tokens, compositions",
            CreateDefaultStage = false,
            CorsPreflight = props.CorsAllowedOrigins.Count == 0 ? null : new CorsPreflightOptions
            {
                AllowOrigins = [.. props.CorsAllowedOrigins],
                AllowMethods = [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
                AllowHeaders = ["authorization", "content-type", "idempotency-key"],
                MaxAge = Duration.Hours(1),
            },
        });

        Stage = new HttpStage(this, "DefaultStage", new HttpStageProps
        {
            HttpApi = Api,
            StageName = "$default",
            AutoDeploy = true,
            Throttle = new ThrottleSettings { RateLimit = props.RateLimit, BurstLimit = props.BurstLimit },
        });

        var authorizer = new HttpJwtAuthorizer("Jwt", props.JwtIssuer, new HttpJwtAuthorizerProps
        {
            JwtAudience = [.. props.JwtAudiences],
            IdentitySource = ["$request.header.Authorization"],
        });

        // One integration per function, shared by that function's routes.
        var integrations = props.FunctionsByRouteGroup.Values.Distinct().ToDictionary(
            f => f,
            f => new HttpLambdaIntegration(f.Node.Id + "Integration", f.Function));

        foreach (var route in ApiRoutes.All)
        {
            Api.AddRoutes(new AddRoutesOptions
            {
                Path = route.Template,
                Methods = [Enum.Parse<HttpMethod>(route.Method)],
                Integration = integrations[props.FunctionsByRouteGroup[route.Group]],
                Authorizer = route.RequiresAuthorization ? authorizer : new HttpNoneAuthorizer(),
            });
        }
    }

    /// <summary>The API's base URL (the <c>$default</c> stage has no path prefix).</summary>
    public string Url => Stage.Url;
}
