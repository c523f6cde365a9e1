using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using IvsServerless.Api.HttpApi;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Quotas;
using IvsServerless.Core.Sessions;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsEmulator;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Testing;
using IvsServerless.Testing.Projection;

namespace IvsServerless.Api.Tests.Support;

/// <summary>
/// The handler wired to the real IVS emulator over signed HTTP and to stores that are either in memory (fast,
/// inspectable) or the production DynamoDB adapters on DynamoDB Local.
/// </summary>
public sealed class ApiHarness : IAsyncDisposable
{
    private readonly IStageStore _stages;
    private readonly ICompositionStore _compositions;
    private readonly IDisposable? _dynamo;

    private ApiHarness(EmulatorServer emulator, HttpClient http, IvsRealTimeClient ivs, IStageStore stages, ICompositionStore compositions,
        (IProjectionStore Writer, ISessionHistory Reader) projection, IDisposable? dynamo, string storageArn, string encoderArn,
        Func<IvsRealTimeClient, IParticipantTokenMinter>? minter, IUsageLedger usage, QuotaOptions? quotas)
    {
        Usage = usage;
        Projection = projection.Writer;
        Emulator = emulator;
        Http = http;
        Ivs = ivs;
        _stages = stages;
        _compositions = compositions;
        _dynamo = dynamo;
        Handler = new ApiHandler(stages, compositions, Usage, ApiIvsPorts.Of(new IvsRealTimeAdapter(ivs)), new ApiOptions
        {
            DeploymentTag = "tests",
            Quotas = quotas ?? new QuotaOptions(),
            CompositionStorageConfigurationArn = storageArn,
            CompositionEncoderConfigurationArn = encoderArn,
            RecordingStorageConfigurationArn = storageArn,
            RecordingsBucketName = RecordingsBucket,
        }, tokenMinter: minter?.Invoke(ivs), sessions: projection.Reader, recordings: Recordings);
    }

    /// <summary>The bucket of the harness's storage configuration.</summary>
    public const string RecordingsBucket = "recordings";

    /// <summary>The recordings bucket, in memory.</summary>
    public InMemoryRecordingObjects Recordings { get; } = new();

    public EmulatorServer Emulator { get; }
    public HttpClient Http { get; }
    public IvsRealTimeClient Ivs { get; }
    public InMemoryStageStore Stages => _stages as InMemoryStageStore ?? throw OnDynamoDb();
    public InMemoryCompositionStore Compositions => _compositions as InMemoryCompositionStore ?? throw OnDynamoDb();
    public ApiHandler Handler { get; }
    public IUsageLedger Usage { get; }

    /// <summary>The event projection behind the session routes: apply events here as the ivs-events function would.</summary>
    public IProjectionStore Projection { get; }
    public StringWriterStream Log { get; } = new();

    public static Task<ApiHarness> StartAsync(InMemoryStageStore? stages = null)
    {
        var projection = new InMemoryProjectionStore();
        return StartAsync(stages ?? new InMemoryStageStore(), new InMemoryCompositionStore(), (projection, projection), null);
    }

    /// <summary>In-memory stores with these per-user limits.</summary>
    public static Task<ApiHarness> StartAsync(QuotaOptions quotas)
    {
        var projection = new InMemoryProjectionStore();
        return StartAsync(new InMemoryStageStore(), new InMemoryCompositionStore(), (projection, projection), null, quotas: quotas);
    }

    /// <summary>In-memory stores; participant tokens minted by <paramref name="minter"/> (e.g. self-signed) instead of the IVS
    /// API.</summary>
    public static Task<ApiHarness> StartAsync(Func<IvsRealTimeClient, IParticipantTokenMinter> minter)
    {
        var projection = new InMemoryProjectionStore();
        return StartAsync(new InMemoryStageStore(), new InMemoryCompositionStore(), (projection, projection), null, minter);
    }

    /// <summary>The production stores on a fresh table of the shared DynamoDB Local.</summary>
    public static async Task<ApiHarness> StartOnDynamoDbLocalAsync(QuotaOptions? quotas = null)
    {
        var engine = await DynamoDbLocal.GetSharedAsync();
        var table = new DynamoDbOptions { TableName = await engine.CreateUniqueTableAsync("api", TableLayout.Definition) };
        var client = engine.CreateClient();
        return await StartAsync(new DynamoDbStageStore(client, table), new DynamoDbCompositionStore(client, table),
            (new DynamoDbProjectionStore(client, table), new DynamoDbSessionHistory(client, table)), client,
            usage: new DynamoDbUsageLedger(client, table), quotas: quotas);
    }

    private static async Task<ApiHarness> StartAsync(IStageStore stages, ICompositionStore compositions,
        (IProjectionStore, ISessionHistory) projection, IDisposable? dynamo,
            Func<IvsRealTimeClient, IParticipantTokenMinter>? minter = null, IUsageLedger? usage = null, QuotaOptions? quotas = null)
    {
        var emulator = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = "us-east-1" });
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = emulator.BaseAddress };
        var ivs = new IvsRealTimeClient(http,
            new IvsRealTimeClientOptions
            {
                Region = "us-east-1",
                ServiceUrl = emulator.BaseAddress.ToString().TrimEnd('/'),
                MaxAttempts = 1
            },
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            delay: (_, _) => Task.CompletedTask);
        var storage = await ivs.CreateStorageConfigurationAsync(
            new CreateStorageConfigurationRequest { S3 = new S3StorageConfiguration { BucketName = RecordingsBucket } });
        var encoder = await ivs.CreateEncoderConfigurationAsync(new CreateEncoderConfigurationRequest { Name = "hd" });
        return new ApiHarness(emulator, http, ivs, stages, compositions, projection, dynamo,
            storage.StorageConfiguration!.Arn, encoder.EncoderConfiguration!.Arn, minter, usage ?? new InMemoryUsageLedger(), quotas);
    }

    /// <summary>Goes through the Lambda byte interface, exactly as the runtime calls it.</summary>
    public async Task<ApiResponse> SendAsync(ApiRequest request)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(request.Build(), HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);
        var context = new LambdaContext
        {
            AwsRequestId = Guid.NewGuid().ToString(),
            Deadline = DateTimeOffset.UtcNow.AddSeconds(30),
            Logger = new LambdaJsonLogger(Log),
        };
        var bytes = await Handler.HandleAsync(payload, context, CancellationToken.None);
        return new ApiResponse(JsonSerializer.Deserialize(bytes.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse)!);
    }

    public async Task<string> CreateStageAsync(
        string owner, string visibility = "public", string[]? coHosts = null, string[]? invited = null)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = "stage-" + owner,
            ["visibility"] = visibility,
            ["coHostIds"] = coHosts ?? [],
            ["invitedUserIds"] = invited ?? [],
        });
        var response = await SendAsync(ApiRequest.Post("/stages").As(owner).Json(body));
        Assert.Equal(201, response.Status);
        return response.Json.GetProperty("stageId").GetString()!;
    }

    public async Task<int> IvsStageCountAsync() => (await Ivs.ListStagesAsync(new ListStagesRequest { MaxResults = 100 })).Stages.Count;

    /// <summary>Marks a stage live, as the event projection will; works on either kind of store.</summary>
    public async Task SetLiveAsync(string stageId, string sessionId)
    {
        var stage = await _stages.FindAsync(stageId, CancellationToken.None) ?? throw new InvalidOperationException($"No stage {stageId}.");
        await _stages.UpdateAsync(stage with { ActiveSessionId = sessionId, Version = stage.Version + 1 }, CancellationToken.None);
    }

    public Task AddStoredCompositionAsync(IvsServerless.Core.Compositions.Composition composition) =>
        _compositions.AddAsync(composition, CancellationToken.None);

    public Task<IReadOnlyList<IvsServerless.Core.Compositions.Composition>> StoredCompositionsAsync(string stageId) =>
        _compositions.ListForStageAsync(stageId, CancellationToken.None);

    private static InvalidOperationException OnDynamoDb() => new("This harness runs on DynamoDB Local; inspect state through the API.");

    /// <summary>Joins like a client SDK would, through the emulator's simulation surface.</summary>
    public async Task<string> JoinAsync(string token)
    {
        using var response = await Http.PostAsJsonAsync("/_sim/join", new Dictionary<string, string> { ["token"] = token });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("participantId").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        _dynamo?.Dispose();
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}

public sealed class ApiResponse(APIGatewayHttpApiV2ProxyResponse response)
{
    public int Status => response.StatusCode;
    public string Body => response.Body ?? "";
    public IDictionary<string, string> Headers => response.Headers ?? new Dictionary<string, string>();
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string? Code => Json.TryGetProperty("code", out var c) ? c.GetString() : null;

    public IReadOnlyList<string> ErrorFields =>
        Json.TryGetProperty("errors", out var e) ? [.. e.EnumerateObject().Select(p => p.Name)] : [];

    public override string ToString() => $"{Status} {Body}";
}

/// <summary>Captures the function log so tests can check what was (not) logged.</summary>
public sealed class StringWriterStream : MemoryStream
{
    public string Text => System.Text.Encoding.UTF8.GetString(ToArray());
}
