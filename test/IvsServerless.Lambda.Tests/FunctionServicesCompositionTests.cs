using Amazon.Runtime;
using IvsServerless.Api;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Testing.ApiSupport;

namespace IvsServerless.Lambda.Tests;

/// <summary>
/// A container's composition root builds each client once, shared by every handler built from it, and only the clients a
/// function uses: the S3 client of the recordings bucket only when a recordings route is served.
/// </summary>
public sealed class FunctionServicesCompositionTests
{
    private static readonly Dictionary<string, string> WithRecordings = new()
    {
        ["AWS_REGION"] = "us-east-1",
        ["TABLE_NAME"] = "items",
        ["DEPLOYMENT_TAG"] = "prod",
        ["RECORDINGS_BUCKET"] = "recordings-bucket",

        // Nothing listens there: a recordings route fails fast, after having built the S3 client.
        ["S3_ENDPOINT_URL"] = "http://127.0.0.1:1",
    };

    // Fixed credentials, as the local host passes: presigning must not search the machine for credentials.
    private static FunctionServices Container() => new(
        FunctionSettings.From(WithRecordings.GetValueOrDefault), new BasicAWSCredentials("AKIDEXAMPLE", "secret"));

    [Fact]
    public void Every_handler_of_a_container_shares_one_DynamoDB_client_and_one_IVS_client()
    {
        var services = Container();
        Assert.Empty(services.Built);

        foreach (var function in new[]
        {
            BackendFunctions.IvsEvents, BackendFunctions.Reconciler, BackendFunctions.Api, BackendFunctions.Stages,
            BackendFunctions.Tokens, BackendFunctions.Compositions, BackendFunctions.LiveConnections,
        })
        {
            Assert.NotNull(FunctionHandlers.Create(function, services));
        }

        Assert.Equal([FunctionServices.DynamoDbClient, FunctionServices.IvsClient], services.Built);
    }

    [Fact]
    public void The_live_functions_build_their_HTTP_clients_once()
    {
        var environment = new Dictionary<string, string>(WithRecordings)
        {
            ["LIVE_JWT_ISSUER"] = "https://issuer.example.com",
            ["LIVE_JWT_AUDIENCES"] = "app",
            ["LIVE_MANAGEMENT_ENDPOINT"] = "https://abc.execute-api.us-east-1.amazonaws.com/live",
        };
        var services = FunctionServices.From(environment.GetValueOrDefault);
        for (var i = 0; i < 2; i++)
        {
            FunctionHandlers.Create(BackendFunctions.LiveAuthorizer, services);
            FunctionHandlers.Create(BackendFunctions.LiveNotifier, services);
        }

        Assert.Equal(
            [FunctionServices.OidcHttpClient, FunctionServices.DynamoDbClient, FunctionServices.ManagementApiClient], services.Built);
    }

    [Fact]
    public void A_function_builds_only_the_clients_of_its_handler()
    {
        var connections = Container();
        FunctionHandlers.Create(BackendFunctions.LiveConnections, connections);
        Assert.Equal([FunctionServices.DynamoDbClient], connections.Built);

        // API token mode: no signing key, so no SSM client.
        var tokens = Container();
        FunctionHandlers.Create(BackendFunctions.Tokens, tokens);
        Assert.Equal([FunctionServices.DynamoDbClient, FunctionServices.IvsClient], tokens.Built);
    }

    [Fact]
    public async Task A_function_without_recordings_routes_never_builds_an_S3_client()
    {
        var tokens = Container();
        var handler = Assert.IsType<ApiHandler>(FunctionHandlers.Create(BackendFunctions.Tokens, tokens));

        // The route is not this function's: 404, and still no S3 client.
        Assert.Equal(404, (await PlaylistAsync(handler)).StatusCode);
        Assert.DoesNotContain(FunctionServices.S3Client, tokens.Built);
    }

    [Fact]
    public async Task The_stages_function_builds_its_S3_client_on_the_first_recordings_request_and_keeps_it()
    {
        var stages = Container();
        var handler = Assert.IsType<ApiHandler>(FunctionHandlers.Create(BackendFunctions.Stages, stages));
        Assert.DoesNotContain(FunctionServices.S3Client, stages.Built);

        // The bucket cannot be reached, so the answer is a 5xx; what matters is that the request needed, and built, the client once.
        Assert.InRange((await PlaylistAsync(handler)).StatusCode, 500, 599);
        Assert.InRange((await PlaylistAsync(handler)).StatusCode, 500, 599);
        Assert.Single(stages.Built, FunctionServices.S3Client);
    }

    private static Task<Api.HttpApi.APIGatewayHttpApiV2ProxyResponse> PlaylistAsync(ApiHandler handler) => handler.HandleAsync(
        ApiRequest.Get("/recordings/playlist")
            .Query("key", "ivs/v1/123456789012/stage/session/participant/media/hls/multivariant.m3u8")
            .Query("X-Amz-Signature", "0000")
            .Build(),
        new LambdaContext { AwsRequestId = "r1", Deadline = DateTimeOffset.UtcNow.AddSeconds(30) },
        CancellationToken.None);
}
