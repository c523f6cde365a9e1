using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using IvsServerless.Api;
using IvsServerless.Core.Recordings;
using IvsServerless.Core.Tokens;
using IvsServerless.Core.Tokens.Minting;
using IvsServerless.Core.TokenSigning;
using IvsServerless.Deployment.Settings;
using IvsServerless.EventHandlers;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Infrastructure.Live;
using IvsServerless.Infrastructure.S3;
using IvsServerless.Infrastructure.TokenSigning;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.IvsRealTime.ConnectionManagement;
using IvsServerless.KeyRotation;
using IvsServerless.Live.Connections;
using IvsServerless.Live.Notifier;
using IvsServerless.LocalHost.Auth;
using IvsServerless.Reconciler;

namespace IvsServerless.Lambda;

/// <summary>
/// The composition root of a container: each AWS client is built at most once, on first need, and shared by every
/// handler built from this instance and every invocation. A function builds only the clients its handler uses (the
/// tokens function no SSM client in API mode; no function an S3 client until a recordings route is served). Only
/// endpoints and credentials differ between AWS and the local engines.
/// </summary>
public sealed class FunctionServices
{
    /// <summary>The names <see cref="Built"/> lists, one per kind of client.</summary>
    internal const string DynamoDbClient = "dynamodb", IvsClient = "ivs", SsmClient = "ssm", S3Client = "s3", OidcHttpClient = "oidc-http",
        ManagementApiClient = "management-api";

    private readonly FunctionSettings _settings;
    private readonly AWSCredentials? _credentials;
    private readonly List<string> _built = [];
    private readonly Lazy<DynamoDbOptions> _table;
    private readonly Lazy<FaultTranslatingDynamoDbClient> _dynamoDb;
    private readonly Lazy<IvsRealTimeAdapter> _ivs;
    private readonly Lazy<ITokenSigningKeyStore> _signingKeys;
    private readonly LazyRecordingObjects? _recordings;
    private readonly Lazy<HttpClient> _oidcHttp;
    private readonly Lazy<ManagementApiPoster> _managementApi;

    /// <param name="settings">The function's settings, read once at init.</param>
    /// <param name="credentials">Null in Lambda (the SDK's default chain reads the function role); the local host passes
    /// fixed dummy credentials, which the local engines accept and which spare a slow credential-chain search.</param>
    /// <param name="signingKeys">Where the participant-token signing key lives: null in Lambda (the SSM SecureString of
    /// <c>TOKEN_SIGNING_KEY_PARAMETER</c>); the local host passes its in-memory store (there is no local SSM).</param>
    public FunctionServices(FunctionSettings settings, AWSCredentials? credentials = null, ITokenSigningKeyStore? signingKeys = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _credentials = credentials;
        _table = new(Table);
        _dynamoDb = new(CreateDynamoDb);
        _ivs = new(CreateIvs);
        _signingKeys = new(() => signingKeys ?? CreateSsmSigningKeyStore());
        _recordings = settings.Recordings.BucketName is { } bucket
            ? new LazyRecordingObjects(() => CreateRecordingObjects(bucket))
            : null;
        _oidcHttp = new(() => Build(OidcHttpClient, () => new HttpClient { Timeout = TimeSpan.FromSeconds(5) }));
        _managementApi = new(CreateManagementApi);
    }

    public static FunctionServices From(Func<string, string?> environment) => new(FunctionSettings.From(environment));

    /// <summary>The clients built so far, in order, one entry per construction (the seam for tests: never twice the same).</summary>
    internal IReadOnlyList<string> Built
    {
        get
        {
            lock (_built)
            {
                return [.. _built];
            }
        }
    }

    private FaultTranslatingDynamoDbClient DynamoDb => _dynamoDb.Value;

    private DynamoDbOptions TableOptions => _table.Value;

    private IvsRealTimeAdapter Ivs => _ivs.Value;

    public IvsEventsHandler CreateIvsEventsHandler() => new(new IvsEventService(
        new DynamoDbProjectionStore(DynamoDb, TableOptions),
        new DynamoDbStageStore(DynamoDb, TableOptions),
        new DynamoDbCompositionStore(DynamoDb, TableOptions),
        new DynamoDbRejectedEventStore(DynamoDb, TableOptions),
        participantEvents: Ivs));

    /// <param name="routeGroups">The route groups this function serves (all when null).</param>
    public ApiHandler CreateApiHandler(IEnumerable<string>? routeGroups = null) => new(
        new DynamoDbStageStore(DynamoDb, TableOptions),
        new DynamoDbCompositionStore(DynamoDb, TableOptions),
        new DynamoDbUsageLedger(DynamoDb, TableOptions),
        ApiIvsPorts.Of(Ivs),
        new ApiOptions
        {
            DeploymentTag = _settings.Table.DeploymentTag,
            TokenPolicy = _settings.Tokens.Policy(),
            CompositionStorageConfigurationArn = _settings.Compositions.StorageConfigurationArn,
            CompositionEncoderConfigurationArn = _settings.Compositions.EncoderConfigurationArn,
            CompositionChannelArn = _settings.Compositions.ChannelArn,
            RecordingStorageConfigurationArn = _settings.Recordings.StorageConfigurationArn,
            RecordingsBucketName = _settings.Recordings.BucketName,
            RecordingPlaybackLifetime = _settings.Recordings.PlaybackUrlLifetime,
            Quotas = _settings.Quotas.Options(),
        },
        tokenMinter: CreateTokenMinter(),
        sessions: new DynamoDbSessionHistory(DynamoDb, TableOptions),
        routeGroups: routeGroups,
        kicks: new DynamoDbKickLog(DynamoDb, TableOptions),
        recordings: _recordings);

    public KeyRotationHandler CreateKeyRotationHandler()
    {
        _settings.Tokens.RequireKeyRotationSettings();
        var options = new KeyRotationOptions
        {
            DeploymentTag = _settings.Table.DeploymentTag,
            MaxTokenLifetime = _settings.Tokens.Policy().MaxDuration,
            SigningKeyCacheTtl = _settings.Tokens.SigningKeyCacheTtl,
        };
        options.Validate();
        return new KeyRotationHandler(new SigningKeyRotation(Ivs, _signingKeys.Value, options), _settings.Table.DeploymentTag);
    }

    public ReconcilerHandler CreateReconcilerHandler()
    {
        var options = new ReconcilerOptions
        {
            DeploymentTag = _settings.Table.DeploymentTag,
            IdleStageAfter = _settings.Reconciler.IdleStageAfter,
            CallsPerSecond = _settings.Reconciler.CallsPerSecondOrDefault,
        };
        var stages = new DynamoDbStageStore(DynamoDb, TableOptions);
        var service = new ReconcilerService(Ivs, stages, new DynamoDbProjectionStore(DynamoDb, TableOptions),
            new DynamoDbReconcilerCheckpointStore(DynamoDb, TableOptions), stages,
            new CompositionConvergence(new DynamoDbCompositionStore(DynamoDb, TableOptions), Ivs, TimeProvider.System), options,
            history: new DynamoDbSessionHistory(DynamoDb, TableOptions));
        return new ReconcilerHandler(service, options);
    }

    /// <summary>The <c>$connect</c> authorizer: the user JWT checked like the HTTP API's JWT authorizer does (JWKS cached).</summary>
    public ConnectAuthorizerHandler CreateLiveAuthorizerHandler()
    {
        var (issuer, audiences) = _settings.Live.RequireJwt();
        return new ConnectAuthorizerHandler(
            new JwtAuthorizer(new JwtAuthorizerOptions(issuer, audiences), new OidcSigningKeys(_oidcHttp.Value, issuer)));
    }

    public WebSocketRouteHandler CreateLiveConnectionsHandler() => new(
        new LiveConnectionService(new DynamoDbLiveConnectionStore(DynamoDb, TableOptions), new DynamoDbStageStore(DynamoDb, TableOptions)));

    public NotifierHandler CreateNotifierHandler() =>
        new(new LiveNotifier(new DynamoDbLiveConnectionStore(DynamoDb, TableOptions), _managementApi.Value));

    /// <summary>null = the API default (IVS CreateParticipantToken); self-signed reads the key once, then per cache TTL.</summary>
    private SelfSignedTokenMinter? CreateTokenMinter() => _settings.Tokens.Mode switch
    {
        TokenMintingMode.SelfSigned =>
            new SelfSignedTokenMinter(new SigningKeyCache(_signingKeys.Value, _settings.Tokens.SigningKeyCacheTtl)),
        _ => null,
    };

    private T Build<T>(string client, Func<T> create)
    {
        var built = create();
        lock (_built)
        {
            _built.Add(client);
        }

        return built;
    }

    private DynamoDbOptions Table()
    {
        var table = new DynamoDbOptions { TableName = _settings.Table.TableName };
        table.Validate();
        return table;
    }

    private SsmTokenSigningKeyStore CreateSsmSigningKeyStore()
    {
        var options = new SsmTokenSigningKeyOptions
        {
            ParameterName = _settings.Tokens.SigningKeyParameter
                ?? throw new InvalidOperationException("Invalid function configuration: TOKEN_SIGNING_KEY_PARAMETER is required."),
            KmsKeyId = _settings.Tokens.SigningKmsKeyId,
        };
        options.Validate();

        var config = Endpoint(new AmazonSimpleSystemsManagementConfig(), _settings.Aws.SsmEndpoint);
        var ssm = Build(SsmClient, () => _credentials is null
            ? new AmazonSimpleSystemsManagementClient(config)
            : new AmazonSimpleSystemsManagementClient(_credentials, config));
        return new SsmTokenSigningKeyStore(ssm, options);
    }

    /// <summary>An explicit endpoint (local engines) signs for the configured region; otherwise the region's AWS endpoint.</summary>
    private TConfig Endpoint<TConfig>(TConfig config, Uri? endpoint) where TConfig : ClientConfig
    {
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = _settings.Aws.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(_settings.Aws.Region);
        }

        return config;
    }

    /// <summary>The recordings bucket's client: AWSSDK.S3 is the heaviest client to build, so only a recordings route builds it.</summary>
    private S3RecordingObjects CreateRecordingObjects(string bucket) => Build(S3Client, () => new S3RecordingObjects(
        new S3RecordingOptions(bucket, _settings.Recordings.S3EndpointUrl, _settings.Aws.Region), _credentials));

    private FaultTranslatingDynamoDbClient CreateDynamoDb()
    {
        var config = Endpoint(new AmazonDynamoDBConfig(), _settings.Aws.DynamoDbEndpoint);
        return Build(DynamoDbClient, () => _credentials is null
            ? new FaultTranslatingDynamoDbClient(config)
            : new FaultTranslatingDynamoDbClient(_credentials, config));
    }

    /// <summary>The API Gateway management API client of the WebSocket API (<c>LIVE_MANAGEMENT_ENDPOINT</c>, required).</summary>
    private ManagementApiPoster CreateManagementApi()
    {
        var endpoint = _settings.Live.RequireManagementEndpoint();
        return Build(ManagementApiClient, () => new ManagementApiPoster(
            new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 64,
            }),
            endpoint, _settings.Aws.Region, _credentials));
    }

    /// <summary>The IVS adapter over the typed client: every IVS port the functions' services take.</summary>
    private IvsRealTimeAdapter CreateIvs()
    {
        var options = new IvsRealTimeClientOptions
        {
            Region = _settings.Aws.Region,
            ServiceUrl = _settings.Aws.IvsEndpoint?.ToString().TrimEnd('/')
        };
        options.Validate();

        // Redirects would replay a signed request to another host: never follow them.
        return Build(IvsClient, () => new IvsRealTimeAdapter(new IvsRealTimeClient(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            options, _credentials)));
    }

    /// <summary>The recordings bucket, built on its first use (only the recordings routes use it), then shared.</summary>
    private sealed class LazyRecordingObjects(Func<IRecordingObjects> create) : IRecordingObjects
    {
        private readonly Lazy<IRecordingObjects> _objects = new(create);

        public Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            _objects.Value.PresignGetAsync(key, expiresAt, cancellationToken);

        public Task<SignedRead> ReadSignedAsync(
            string key, IReadOnlyDictionary<string, string> signature, CancellationToken cancellationToken) =>
            _objects.Value.ReadSignedAsync(key, signature, cancellationToken);

        public Task<IReadOnlyList<string>> ListKeysAsync(string prefix, int max, CancellationToken cancellationToken) =>
            _objects.Value.ListKeysAsync(prefix, max, cancellationToken);

        public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken) =>
            _objects.Value.DeletePrefixAsync(prefix, cancellationToken);
    }
}
