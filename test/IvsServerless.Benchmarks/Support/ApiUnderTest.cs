using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IvsServerless.Api;
using IvsServerless.Api.HttpApi;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Quotas;
using IvsServerless.Core.Stages;
using IvsServerless.Deployment.Settings;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Testing.ApiSupport;

namespace IvsServerless.Benchmarks.Support;

/// <summary>
/// The HTTP API handler called through its Lambda byte interface, exactly as the runtime calls it, wired either
/// to the production adapters on the local engines or to in-memory fakes (the project's own overhead).
/// </summary>
public sealed class ApiUnderTest : IDisposable
{
    private readonly IDisposable? _clients;

    private ApiUnderTest(
        string kind, IStageStore stages, ICompositionStore compositions, IUsageLedger usage, ApiIvsPorts ivs, IDisposable? clients)
    {
        Kind = kind;
        Stages = stages;
        Tokens = ivs.Tokens;
        Handler = new ApiHandler(stages, compositions, usage, ivs, new ApiOptions { DeploymentTag = "benchmarks", Quotas = Roomiest });
        _clients = clients;
    }

    /// <summary>The highest per-user limits: the benchmarks pay for the counting, as production does, but reach no limit.</summary>
    public static QuotaOptions Roomiest { get; } = new()
    {
        StagesPerOwner = QuotaSettings.MaxStagesPerOwner,
        ConcurrentCompositionsPerOwner = QuotaSettings.MaxConcurrentCompositionsPerOwner,
        TokenMintsPerMinute = QuotaSettings.MaxTokenMintsPerMinute,
    };

    public string Kind { get; }

    public ApiHandler Handler { get; }

    /// <summary>The store behind the handler, for timing the engines' share of a request.</summary>
    public IStageStore Stages { get; }

    /// <summary>The IVS token port behind the handler, for timing the engines' share of a request.</summary>
    public IParticipantTokenIssuer Tokens { get; }

    /// <summary>DynamoDB Local through the production store adapters, the emulator through the signed IVS client.</summary>
    public static ApiUnderTest OnLocalEngines(LocalEngines engines)
    {
        ArgumentNullException.ThrowIfNull(engines);
        var dynamo = engines.DynamoDb.CreateClient();
        var table = new DynamoDbOptions { TableName = engines.TableName };
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var ivs = new IvsRealTimeClient(http,
            new IvsRealTimeClientOptions { Region = LocalEngines.Region, ServiceUrl = engines.Ivs.BaseAddress.ToString().TrimEnd('/') },
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
        return new ApiUnderTest("local-engines", new DynamoDbStageStore(dynamo, table), new DynamoDbCompositionStore(dynamo, table),
            new DynamoDbUsageLedger(dynamo, table), ApiIvsPorts.Of(new IvsRealTimeAdapter(ivs)), new Clients(dynamo, http));
    }

    public static ApiUnderTest InMemory()
    {
        var ivs = new InMemoryIvs();
        return new(
            "in-memory", new InMemoryStageStore(), new InMemoryCompositionStore(), new UnmeteredUsageLedger(), new ApiIvsPorts(
            ivs, ivs, NotMeasured.Instance, NotMeasured.Instance, NotMeasured.Instance, NotMeasured.Instance), null);
    }

    /// <summary>Sends one request; returns its status code and body.</summary>
    public async Task<(int Status, string Body)> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = JsonSerializer.SerializeToUtf8Bytes(request.Build(), HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);
        var context = new LambdaContext { AwsRequestId = Guid.NewGuid().ToString(), Deadline = DateTimeOffset.UtcNow.AddSeconds(30) };
        var bytes = await Handler.HandleAsync(payload, context, cancellationToken);
        var response = JsonSerializer.Deserialize(bytes.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse)!;
        return (response.StatusCode, response.Body ?? "");
    }

    /// <summary>Creates a public stage owned by <paramref name="owner"/> and returns its id.</summary>
    public async Task<string> CreateStageAsync(string owner, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(Requests.CreateStage(owner), cancellationToken);
        return status == 201
            ? Requests.StageIdOf(body)
            : throw new InvalidOperationException($"Creating the benchmark stage answered {status}: {body}");
    }

    public void Dispose() => _clients?.Dispose();

    /// <summary>The routes the benchmarks do not send (disconnect, compositions) have no in-memory IVS.</summary>
    private sealed class NotMeasured : IParticipantControl, ICompositionControl, IIngestControl, IParticipantReplication
    {
        public static readonly NotMeasured Instance = new();

        public Task DisconnectAsync(string stageArn, string participantId, string? reason, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no participants.");

        public Task<string?> ActiveSessionIdAsync(string stageArn, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no participants.");

        public Task<IvsParticipant?> FindParticipantAsync(
            string stageArn, string sessionId, string participantId, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no participants.");

        public Task<Page<IvsParticipant>> ListLiveParticipantsAsync(
            string stageArn, string sessionId, string? userId, string? nextToken, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no participants.");

        public Task<StartedComposition> StartAsync(CompositionStart start, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no compositions.");

        public Task StopAsync(string compositionArn, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no compositions.");

        public Task<CreatedIngestConfiguration> CreateIngestConfigurationAsync(IngestCreate create, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no ingest.");

        public Task<Page<IvsIngestConfiguration>> ListIngestConfigurationsAsync(
            string stageArn, string? nextToken, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no ingest.");

        public Task<IvsIngestConfiguration?> FindIngestConfigurationAsync(string arn, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no ingest.");

        public Task<bool> DeleteIngestConfigurationAsync(string arn, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no ingest.");

        public Task StartReplicationAsync(string sourceStageArn, string destinationStageArn, string participantId,
            int reconnectWindowSeconds, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no replication.");

        public Task StopReplicationAsync(
            string sourceStageArn, string destinationStageArn, string participantId, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no replication.");

        public Task<Page<IvsParticipantReplica>> ListReplicasAsync(
            string sourceStageArn, string participantId, string? nextToken, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The in-memory benchmark API has no replication.");
    }

    private sealed class Clients(AmazonDynamoDBClient dynamo, HttpClient http) : IDisposable
    {
        public void Dispose()
        {
            dynamo.Dispose();
            http.Dispose();
        }
    }
}

/// <summary>The requests the benchmarks send, as API Gateway delivers them behind the JWT authorizer.</summary>
public static class Requests
{
    public static ApiRequest CreateStage(string owner) =>
        ApiRequest.Post("/stages").As(owner).Json("""{"name":"benchmark","visibility":"public"}""");

    public static ApiRequest GetStage(string stageId, string viewer) => ApiRequest.Get($"/stages/{stageId}").As(viewer);

    public static ApiRequest DeleteStage(string stageId, string owner) => ApiRequest.Delete($"/stages/{stageId}").As(owner);

    /// <summary>The <c>stageId</c> of a stage view (the body of a created or fetched stage).</summary>
    public static string StageIdOf(string stageView)
    {
        using var json = JsonDocument.Parse(stageView);
        return json.RootElement.GetProperty("stageId").GetString()!;
    }

    /// <summary>A viewer's token for a public stage: the most frequent call of a live app.</summary>
    public static ApiRequest MintToken(string stageId, string viewer) =>
        ApiRequest.Post($"/stages/{stageId}/participant-tokens").As(viewer);
}
