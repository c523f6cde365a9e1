using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Infrastructure.Live;
using IvsServerless.Infrastructure.TokenSigning;
using IvsServerless.IvsEmulator;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Recording;
using IvsServerless.Lambda;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Local;
using IvsServerless.LocalBus;
using IvsServerless.LocalHost.ApiFront;
using IvsServerless.LocalHost.Auth;
using IvsServerless.LocalHost.Live;
using IvsServerless.LocalHost.WebConsole;

namespace IvsServerless.LocalHost;

/// <summary>A port the local host was told to use is taken.</summary>
public sealed class PortInUseException(string component, int port)
    : IOException($"Port {port} for the {component} is in use; choose another (see --help) or stop what is using it.")
{
    public string Component { get; } = component;
    public int Port { get; } = port;
}

/// <summary>
/// The whole backend on this machine, in one process: the IVS real-time emulator, DynamoDB Local (a Java child
/// process), the local event bus feeding the event functions, the reconciler on a schedule, the API front (API
/// Gateway HTTP API + JWT authorizer) in front of the <c>api</c> function, and the console origin with the dev OIDC
/// issuer. The functions are built by <see cref="FunctionServices"/>, the same composition root Lambda runs.
/// </summary>
public sealed class LocalHost : IAsyncDisposable
{
    /// <summary>Tagged on every IVS stage the local functions create.</summary>
    public const string DeploymentTag = "local";

    /// <summary>A Lambda function timeout for the local functions (the API front caps at 30 s like API Gateway).</summary>
    public static readonly TimeSpan FunctionTimeout = TimeSpan.FromSeconds(30);

    private static readonly BasicAWSCredentials LocalCredentials = new("local", "local");

    private readonly List<IAsyncDisposable> _parts = [];
    private readonly List<LocalFunction> _functions = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private LocalEventBus? _bus;
    // Made once the console is bound (its address is the issuer); the console's issuer routes read it per request.
    private DevTokenIssuer? _issuer;
    private int _disposed;

    private LocalHost(LocalHostOptions options) => Options = options;

    public LocalHostOptions Options { get; }

    /// <summary>The API front: the HTTP API routes (JWT required) and <c>GET /health</c>.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The web console, <c>/config.json</c>, <c>/_sim/</c> proxy and <c>/_local/</c> inspection.</summary>
    public Uri ConsoleUrl { get; private set; } = null!;

    /// <summary>The dev OIDC issuer (the same origin as the console): the exact <c>iss</c> of its tokens, without a trailing
    /// slash.</summary>
    public string IssuerUrl { get; private set; } = "";

    /// <summary>The IVS real-time emulator (AWS API; simulation under <c>/_sim/</c>).</summary>
    public Uri EmulatorUrl { get; private set; } = null!;

    /// <summary>The live-updates WebSocket endpoint (<c>ws://…/?token=</c>), API Gateway's WebSocket API stand-in.</summary>
    public Uri LiveUrl { get; private set; } = null!;

    /// <summary>The live-updates front (WebSocket connections and the <c>@connections</c> management API).</summary>
    internal LiveFrontServer? LiveFront { get; private set; }

    /// <summary>The table's stream feeding the notifier (Lambda's event source mapping stand-in).</summary>
    internal LocalStreamMapping? LiveStream { get; private set; }

    /// <summary>The local S3 server (recordings bucket <see cref="LocalHostOptions.RecordingsBucket"/>), 127.0.0.1 only.</summary>
    public Uri S3Url { get; private set; } = null!;

    /// <summary>DynamoDB Local (or the endpoint given in the options).</summary>
    public Uri DynamoDbUrl { get; private set; } = null!;

    /// <summary>
    /// Whether the DynamoDB Local started here accepts connections on 127.0.0.1 only (it needs a JDK for that); false
    /// when it listens on every interface; null when an endpoint was given instead.
    /// </summary>
    public bool? DynamoDbLoopbackOnly { get; private set; }

    /// <summary>From the call to <see cref="StartAsync"/> until everything answered.</summary>
    public TimeSpan TimeToReady { get; private set; }

    /// <summary>The names of the functions wired in (<c>api</c>, and the event and schedule functions once they exist).</summary>
    public IReadOnlyList<string> Functions { get; private set; } = [];

    /// <summary>How many times each function (by name, e.g. <c>live-notifier</c>) was invoked so far.</summary>
    public IReadOnlyDictionary<string, long> Invocations
    {
        get
        {
            lock (_functions)
            {
                return _functions.GroupBy(f => f.Name, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Sum(f => f.Invocations), StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The route keys the API front serves (those of the <c>api</c> function), e.g. <c>GET /stages/{stageId}</c>.</summary>
    public IReadOnlyList<string> ApiRoutes { get; private set; } = [];

    /// <summary>Rules of the local event bus: the IVS rules, each targeting the ivs-events function's queue.</summary>
    public IReadOnlyList<string> EventRules => _bus?.Rules.Select(r => r.Name).ToList() ?? [];

    /// <summary>The queues of the local event bus (the contract's queue triggers), with the settings they deliver by.</summary>
    public IReadOnlyList<LocalQueue> EventQueues => _bus?.Queues ?? [];

    /// <summary>Events a function never took: received the queue's maximum number of times, or failed every attempt.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters => _bus?.DeadLetters ?? [];

    /// <summary>Whether the reconciler runs on its schedule.</summary>
    public bool ReconcilerScheduled { get; private set; }

    /// <summary>Starts every part; on failure stops what was started and throws (<see cref="PortInUseException"/> for a taken
    /// port).</summary>
    public static async Task<LocalHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var host = new LocalHost(options);
        try
        {
            await host.StartPartsAsync(cancellationToken);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        host.TimeToReady = clock.Elapsed;
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }

        // Front doors first (no new work), the engines last.
        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            await _parts[i].DisposeAsync();
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// In order: the ports checked, the engines, the functions on them, the front doors to them. Every part joins
    /// <see cref="_parts"/> as it starts, so on a failure <see cref="StartAsync"/> stops exactly what had started
    /// (a JVM still starting is stopped by <see cref="StartEnginesAsync"/>).
    /// </summary>
    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        RefuseTakenPorts();

        var engines = await StartEnginesAsync(cancellationToken);
        EmulatorUrl = engines.Emulator.BaseAddress;
        DynamoDbUrl = engines.DynamoDbUrl;
        S3Url = engines.S3Url;

        var functions = StartFunctions(engines);
        if (functions.KeyRotation is { } rotation)
        {
            // As a deploy does (its custom resource): a key exists before the first token is asked for.
            await rotation.InvokeAsync("{}"u8.ToArray(), Guid.NewGuid().ToString(), cancellationToken);
        }

        Functions = functions.Names;
        ApiRoutes = functions.Routes.Keys;
        ReconcilerScheduled = functions.Scheduled;

        var front = await StartFrontAsync(functions, cancellationToken);
        ConsoleUrl = front.ConsoleUrl;
        IssuerUrl = front.IssuerUrl;
        ApiUrl = front.ApiUrl;

        await StartLiveAsync(engines, cancellationToken);
    }

    /// <summary>A port the options name that is taken stops the start before anything runs.</summary>
    private void RefuseTakenPorts()
    {
        foreach (var (component, port) in Options.Ports())
        {
            // DynamoDB Local may listen on every interface (no JDK); the others bind 127.0.0.1.
            var isDynamo = component == "DynamoDB Local";
            if (port != 0 && (!isDynamo || Options.StartDynamoDbLocal) && !LocalUrls.IsFree(port, allInterfaces: isDynamo))
            {
                throw new PortInUseException(component, port);
            }
        }
    }

    /// <summary>The IVS emulator (its events, the composition resources made in it), DynamoDB with the table, and the S3 server
    /// with the recordings bucket.</summary>
    private sealed record Engines(
        EmulatorServer Emulator, ChannelEventSink Events, string StorageArn, string EncoderArn, Uri DynamoDbUrl, string StreamArn,
        bool TableCreated, Uri S3Url);

    /// <summary>
    /// The emulator, with the resources compositions need, DynamoDB Local (or the endpoint given), with the table, and the
    /// S3 server with the recordings bucket. The JVM and node are the slow parts: they start while the emulator does, and
    /// are stopped if anything here fails.
    /// </summary>
    private async Task<Engines> StartEnginesAsync(CancellationToken cancellationToken)
    {
        var dynamoStart = Options.StartDynamoDbLocal
            ? DynamoDbLocalEngine.StartAsync(new DynamoDbLocalOptions { Port = Options.DynamoDbPort }, cancellationToken)
            : null;
        var s3Start = S3LocalEngine.StartAsync(
            new S3LocalOptions { Port = Options.S3Port, Buckets = [LocalHostOptions.RecordingsBucket], Credentials = LocalCredentials },
            cancellationToken);
        try
        {
            var s3 = await s3Start;
            s3Start = null;
            _parts.Insert(0, s3);
            // What IVS writes for a recording goes into the S3 server, signed like any client's requests.
            var recordings = S3RecordingWriter.For(new Uri(s3.ServiceUrl), LocalCredentials, Options.Region);
            _parts.Add(new DisposableAdapter(recordings));

            var events = new ChannelEventSink();
            var emulatorOptions = new EmulatorOptions { Region = Options.Region };
            var emulator = await StartOrExplainAsync("IVS emulator", Options.EmulatorPort, () =>
                EmulatorServer.StartAsync(
                    LocalUrls.Loopback(Options.EmulatorPort), emulatorOptions, Options.TimeProvider, events, recordings));
            _parts.Add(emulator);
            var (storageArn, encoderArn) = CreateCompositionResources(emulator.Emulator, Options.Region);

            var dynamoDbUrl = Options.DynamoDbEndpoint!;
            if (dynamoStart is not null)
            {
                var engine = await dynamoStart;
                dynamoStart = null;
                _parts.Insert(0, engine);
                dynamoDbUrl = new Uri(engine.ServiceUrl);
                DynamoDbLoopbackOnly = engine.LoopbackOnly;
            }

            var (streamArn, created) = await CreateTableAsync(dynamoDbUrl, cancellationToken);
            return new Engines(emulator, events, storageArn, encoderArn, dynamoDbUrl, streamArn, created, new Uri(s3.ServiceUrl));
        }
        finally
        {
            await StopUnclaimedAsync(dynamoStart);
            await StopUnclaimedAsync(s3Start);
        }
    }

    /// <summary>An engine started but not handed over (something else failed first) is stopped before leaving.</summary>
    private static async Task StopUnclaimedAsync<T>(Task<T>? start)
        where T : IDisposable
    {
        if (start is null)
        {
            return;
        }

        try
        {
            (await start).Dispose();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or OperationCanceledException or IOException)
        {
            // The first failure is the one to report.
        }
    }

    /// <summary>The functions as the host runs them: the api behind the front, the others on the bus or a schedule.</summary>
    private sealed record LocalFunctions(
        LocalFunction Api, HttpApiRoutes Routes, IReadOnlyList<string> Names, bool Scheduled, LocalFunction? KeyRotation);

    /// <summary>
    /// The contract's functions as this host runs them, built by the composition root (<see cref="FunctionServices"/>,
    /// as in Lambda) and wrapped as Lambda functions: the all-in-one <c>api</c> for the front, each function with event
    /// rules on the local bus with those rules, each scheduled one on the host's schedule. In self-signed mode (the default)
    /// the key rotation runs too, on an in-memory key store (there is no local SSM): see <see cref="StartPartsAsync"/>.
    /// </summary>
    private LocalFunctions StartFunctions(Engines engines)
    {
        var settings = LocalSettings(engines);
        var services = new FunctionServices(settings, LocalCredentials, new InMemoryTokenSigningKeyStore());
        var log = Options.FunctionLog is { } output ? Stream.Synchronized(output) : Stream.Null;
        LocalFunction Function(FunctionDeclaration declaration) => Track(
            new(declaration.Handler, FunctionHandlers.Create(declaration, services), FunctionTimeout, log, Options.TimeProvider));

        var api = Function(BackendFunctions.Api);
        var bus = StartEventBus();
        var names = new List<string> { api.Name };
        var scheduled = false;
        // The live-updates functions sit behind the WebSocket front and the stream poller (StartLive).
        LocalFunction? keyRotation = null;
        foreach (var declaration in BackendFunctions.All.Where(
            f => f.Kind != FunctionKind.HttpApi && !LiveFunctions.Serves(f) && f.IsDeployedWith(settings.Tokens.Mode)))
        {
            var function = Function(declaration);
            names.Add(function.Name);
            keyRotation = declaration == BackendFunctions.KeyRotation ? function : keyRotation;
            // As deployed: rules to the function's queue (batches, partial failures, redrive) where the contract has one.
            var queue = declaration.Queue?.For(Options.EventDelivery) is { } trigger
                ? bus.AddQueue(declaration.Handler, function, new LocalQueueSettings(
                    trigger.BatchSize, trigger.BatchingWindow,
                    Options.EventRetryDelay ?? QueueTrigger.VisibilityTimeoutFor(declaration.Timeout), trigger.MaxReceiveCount))
                : null;
            foreach (var rule in declaration.Rules)
            {
                _ = queue is null ? bus.AddRule(rule.Name, rule.Pattern, function) : bus.AddRule(rule.Name, rule.Pattern, queue);
            }

            if (declaration.Schedule is not null)
            {
                // The timer exists before the start returns, so a clock moved right after the start is seen by it.
                var timer = new PeriodicTimer(Options.ReconcilerInterval, Options.TimeProvider);
                _loops.Add(RunScheduleAsync(timer, function, $"ivs-serverless-{declaration.Handler}", _stopping.Token));
                scheduled = true;
            }
        }

        _loops.Add(Task.Run(() => bus.RunAsync(engines.Events.Reader, e => Encoding.UTF8.GetBytes(e.ToJson()), _stopping.Token)));
        return new LocalFunctions(
            api, new HttpApiRoutes(Deployment.Routes.ApiRoutes.Of(BackendFunctions.Api.RouteGroups).Select(r => r.Key)), names, scheduled,
            keyRotation);
    }

    /// <summary>Names the in-memory signing key store where a deployment names its SSM parameter and KMS key.</summary>
    private const string LocalSigningKeyStore = "local-in-memory";

    /// <summary>The functions' settings: what the deployment gives a Lambda function, pointed at the local engines.</summary>
    private FunctionSettings LocalSettings(Engines engines) => new(
        new AwsEndpointSettings(Options.Region) { IvsEndpoint = engines.Emulator.BaseAddress, DynamoDbEndpoint = engines.DynamoDbUrl },
        new TableSettings(Options.TableName, DeploymentTag),
        Options.TokenMode == TokenMintingMode.SelfSigned
            ? new TokenSettings
            {
                Mode = TokenMintingMode.SelfSigned,
                SigningKeyParameter = LocalSigningKeyStore,
                SigningKmsKeyId = LocalSigningKeyStore,
            }
            : new TokenSettings(),
        new CompositionSettings { StorageConfigurationArn = engines.StorageArn, EncoderConfigurationArn = engines.EncoderArn },
        new ReconcilerSettings())
    {
        Recordings = new RecordingSettings
        {
            StorageConfigurationArn = engines.StorageArn,
            BucketName = LocalHostOptions.RecordingsBucket,
            S3EndpointUrl = engines.S3Url,
        },
    };

    /// <summary>EventBridge's part: the emulator's events (what IVS sends to the default bus) go through the local bus.</summary>
    private LocalEventBus StartEventBus()
    {
        _bus = Options.EventRetryDelay is { } retry
            ? new LocalEventBus(new LocalEventBusOptions { InitialBackoff = retry, MaxBackoff = retry })
            : new LocalEventBus();
        _parts.Add(_bus);
        return _bus;
    }

    /// <summary>The front doors: the console origin with the dev OIDC issuer, then the API front (JWT authorizer, CORS) to the api
    /// function.</summary>
    private sealed record Front(Uri ConsoleUrl, string IssuerUrl, Uri ApiUrl);

    private async Task<Front> StartFrontAsync(LocalFunctions functions, CancellationToken cancellationToken)
    {
        var console = ConsoleSite.Create(Options.ConsolePort, new ConsoleSiteContext(
            ConsoleConfig, () => _issuer!, () => EmulatorUrl, () => DeadLetters));
        _parts.Add(console);
        await StartOrExplainAsync("console", Options.ConsolePort, () => console.StartAsync(cancellationToken));
        var issuerUrl = console.BaseAddress.GetLeftPart(UriPartial.Authority);
        _issuer = new DevTokenIssuer(issuerUrl, Options.Audience, Options.TimeProvider, Options.DevTokenLifetime);
        _parts.Add(new DisposableAdapter(_issuer));

        var front = ApiFrontServer.Create(
            Options.ApiPort, functions.Routes, Authorizer(issuerUrl), functions.Api, ConsoleCors(console.BaseAddress.Port),
            new EmulatorOptions().AccountId, Options.TimeProvider);
        _parts.Add(front);
        await StartOrExplainAsync("API front", Options.ApiPort, () => front.StartAsync(cancellationToken));
        return new Front(console.BaseAddress, issuerUrl, front.BaseAddress);
    }

    /// <summary>API Gateway's JWT authorizer for the dev issuer: its keys fetched from its JWKS like the real one does.</summary>
    private JwtAuthorizer Authorizer(string issuerUrl)
    {
        var keysHttp = new HttpClient();
        _parts.Add(new DisposableAdapter(keysHttp));
        var keys = new OidcSigningKeys(keysHttp, issuerUrl, Options.TimeProvider);
        _parts.Add(new DisposableAdapter(keys));
        return new JwtAuthorizer(new JwtAuthorizerOptions(issuerUrl, [Options.Audience]), keys, Options.TimeProvider);
    }

    /// <summary>The API's CORS configuration: the console origin, under both of its local names.</summary>
    private static CorsSettings ConsoleCors(int consolePort) => new(
        [LocalUrls.Loopback(consolePort), $"http://localhost:{consolePort}"],
        ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        ["authorization", "content-type", "idempotency-key"],
        TimeSpan.FromMinutes(10));

    /// <summary>Runs <paramref name="handler"/> on each tick of <paramref name="timer"/> (which it disposes) with a Scheduled Event, as an
    /// EventBridge schedule would.</summary>
    private async Task RunScheduleAsync(PeriodicTimer timer, LocalFunction handler, string ruleName, CancellationToken ct)
    {
        using var _ = timer;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var now = Options.TimeProvider.GetUtcNow();
                var account = new EmulatorOptions().AccountId;
                var scheduled = new JsonObject
                {
                    ["version"] = "0",
                    ["id"] = Guid.NewGuid().ToString(),
                    ["detail-type"] = "Scheduled Event",
                    ["source"] = "aws.events",
                    ["account"] = account,
                    ["time"] = IvsEvent.EventTime(now),
                    ["region"] = Options.Region,
                    ["resources"] = new JsonArray($"arn:aws:events:{Options.Region}:{account}:rule/{ruleName}"),
                    ["detail"] = new JsonObject(),
                };
                try
                {
                    await handler.InvokeAsync(Encoding.UTF8.GetBytes(scheduled.ToJsonString()), Guid.NewGuid().ToString(), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Logged by the function; the next tick runs again, as the next scheduled invocation would.
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// API Gateway's WebSocket API and the stream's event source mapping, locally: the authorizer and routes functions behind
    /// the live front, and the notifier fed by the table's stream, posting to the front's <c>@connections</c>.
    /// </summary>
    private async Task StartLiveAsync(Engines engines, CancellationToken cancellationToken)
    {
        var settings = LocalSettings(engines) with { Live = new LiveSettings { JwtIssuer = IssuerUrl, JwtAudiences = [Options.Audience] } };
        var log = Options.FunctionLog is { } output ? Stream.Synchronized(output) : Stream.Null;
        LocalFunction Function(FunctionDeclaration declaration, FunctionSettings functionSettings) => Track(new(
            declaration.Handler, FunctionHandlers.Create(declaration, new FunctionServices(functionSettings, LocalCredentials)),
            FunctionTimeout, log, Options.TimeProvider));

        var front = LiveFrontServer.Create(Options.LivePort, Function(BackendFunctions.LiveAuthorizer, settings),
            Function(BackendFunctions.LiveConnections, settings), new EmulatorOptions().AccountId,
            new LiveFrontLimits(Options.LiveMaxConnectionDuration, Options.LiveIdleTimeout), Options.TimeProvider);
        _parts.Add(front);
        await StartOrExplainAsync("live updates", Options.LivePort, () => front.StartAsync(cancellationToken));
        LiveFront = front;
        LiveUrl = front.WebSocketUrl;

        var notifier = Function(
            BackendFunctions.LiveNotifier, settings with { Live = settings.Live with { ManagementEndpoint = front.BaseAddress } });
        var streamHttp = new HttpClient();
        _parts.Add(new DisposableAdapter(streamHttp));
        LiveStream = new LocalStreamMapping(streamHttp, engines.DynamoDbUrl, Options.Region, engines.StreamArn,
            BackendFunctions.LiveNotifier.TableStream!, notifier);
        var stream = LiveStream;
        _loops.Add(Task.Run(() => stream.RunAsync(engines.TableCreated, _stopping.Token), CancellationToken.None));
    }

    private LocalFunction Track(LocalFunction function)
    {
        lock (_functions)
        {
            _functions.Add(function);
        }

        return function;
    }

    private JsonObject ConsoleConfig() => new()
    {
        ["apiUrl"] = ApiUrl?.GetLeftPart(UriPartial.Authority),
        ["issuerUrl"] = IssuerUrl,
        ["emulatorUrl"] = EmulatorUrl?.GetLeftPart(UriPartial.Authority),
        ["liveUrl"] = LiveUrl?.ToString(),
    };

    /// <summary>Compositions need an IVS storage and encoder configuration: the local host creates them in the emulator.</summary>
    private static (string StorageArn, string EncoderArn) CreateCompositionResources(IvsRealTimeEmulator emulator, string region)
    {
        string Arn(string operation, string body, string member)
        {
            using var result = JsonDocument.Parse(emulator.Execute(operation, Encoding.UTF8.GetBytes(body), region));
            return result.RootElement.GetProperty(member).GetProperty("arn").GetString()!;
        }

        var storage = $$$"""{"name":"local-recordings","s3":{"bucketName":"{{{LocalHostOptions.RecordingsBucket}}}"}}""";
        return (
            Arn("CreateStorageConfiguration", storage, "storageConfiguration"),
            Arn("CreateEncoderConfiguration", """{"name":"local-hd"}""", "encoderConfiguration"));
    }

    /// <summary>The table, with its stream (new and old images) for the live-updates notifier: its stream ARN and whether it is
    /// new.</summary>
    private async Task<(string StreamArn, bool Created)> CreateTableAsync(Uri dynamoDbUrl, CancellationToken cancellationToken)
    {
        using var client = new AmazonDynamoDBClient(LocalCredentials, new AmazonDynamoDBConfig
        {
            ServiceURL = dynamoDbUrl.GetLeftPart(UriPartial.Authority),
            AuthenticationRegion = Options.Region,
        });
        var created = true;
        try
        {
            var definition = TableLayout.Definition(Options.TableName);
            definition.StreamSpecification = LiveTable.Stream;
            await client.CreateTableAsync(definition, cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // An existing endpoint that already has the table (DynamoDB Local started here is always empty).
            created = false;
        }

        var table = (await client.DescribeTableAsync(Options.TableName, cancellationToken)).Table;
        if (table.StreamSpecification?.StreamEnabled != true)
        {
            await client.UpdateTableAsync(
                new UpdateTableRequest { TableName = Options.TableName, StreamSpecification = LiveTable.Stream }, cancellationToken);
            table = (await client.DescribeTableAsync(Options.TableName, cancellationToken)).Table;
        }

        return (table.LatestStreamArn, created);
    }

    /// <summary>Kestrel reports a taken port as an IOException deep in its stack; say which part and which port.</summary>
    private static async Task<T> StartOrExplainAsync<T>(string component, int port, Func<Task<T>> start)
    {
        try
        {
            return await start();
        }
        catch (IOException e) when (port != 0 && e is not PortInUseException)
        {
            throw new PortInUseException(component, port);
        }
    }

    private static Task StartOrExplainAsync(string component, int port, Func<Task> start) =>
        StartOrExplainAsync(component, port, async () =>
        {
            await start();
            return true;
        });

    private sealed class DisposableAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
