using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using IvsServerless.Api;
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
/// The composition root: AWS clients and adapters built once per container (at init), shared by every
/// invocation. Only endpoints and credentials differ between AWS and the local engines.
/// </summary>
/// <param name="credentials">Null in Lambda (the SDK's default chain reads the function role); the local host passes
/// fixed dummy credentials, which the local engines accept and which spare a slow credential-chain search.</param>
/// <param name="signingKeys">Where the participant-token signing key lives: null in Lambda (the SSM SecureString of
/// <c>TOKEN_SIGNING_KEY_PARAMETER</c>); the local host passes its in-memory store (there is no local SSM).</param>
public sealed class FunctionServices(
    FunctionSettings settings, AWSCredentials? credentials = null, ITokenSigningKeyStore? signingKeys = null)
{
    public static FunctionServices From(Func<string, string?> environment) => new(FunctionSettings.From(environment));

    public IvsEventsHandler CreateIvsEventsHandler()
    {
        var dynamo = CreateDynamoDb();
        var table = Table();
        return new IvsEventsHandler(new IvsEventService(
            new DynamoDbProjectionStore(dynamo, table),
            new DynamoDbStageStore(dynamo, table),
            new DynamoDbCompositionStore(dynamo, table),
            new DynamoDbRejectedEventStore(dynamo, table),
            participantEvents: CreateIvs()));
    }

    /// <param name="routeGroups">The route groups this function serves (all when null).</param>
    public ApiHandler CreateApiHandler(IEnumerable<string>? routeGroups = null)
    {
        var dynamo = CreateDynamoDb();
        var table = Table();
        var ivs = CreateIvs();
        return new ApiHandler(
            new DynamoDbStageStore(dynamo, table),
            new DynamoDbCompositionStore(dynamo, table),
            new DynamoDbUsageLedger(dynamo, table),
            ApiIvsPorts.Of(ivs),
            new ApiOptions
            {
                DeploymentTag = settings.Table.DeploymentTag,
                TokenPolicy = settings.Tokens.Policy(),
                CompositionStorageConfigurationArn = settings.Compositions.StorageConfigurationArn,
                CompositionEncoderConfigurationArn = settings.Compositions.EncoderConfigurationArn,
                CompositionChannelArn = settings.Compositions.ChannelArn,
                RecordingStorageConfigurationArn = settings.Recordings.StorageConfigurationArn,
                RecordingsBucketName = settings.Recordings.BucketName,
                RecordingPlaybackLifetime = settings.Recordings.PlaybackUrlLifetime,
                Quotas = settings.Quotas.Options(),
            },
            tokenMinter: CreateTokenMinter(),
            sessions: new DynamoDbSessionHistory(dynamo, table),
            routeGroups: routeGroups,
            kicks: new DynamoDbKickLog(dynamo, table),
            recordings: CreateRecordingObjects());
    }

    private DynamoDbOptions Table()
    {
        var table = new DynamoDbOptions { TableName = settings.Table.TableName };
        table.Validate();
        return table;
    }

    public KeyRotationHandler CreateKeyRotationHandler()
    {
        settings.Tokens.RequireKeyRotationSettings();
        var options = new KeyRotationOptions
        {
            DeploymentTag = settings.Table.DeploymentTag,
            MaxTokenLifetime = settings.Tokens.Policy().MaxDuration,
            SigningKeyCacheTtl = settings.Tokens.SigningKeyCacheTtl,
        };
        options.Validate();
        return new KeyRotationHandler(new SigningKeyRotation(CreateIvs(), CreateSigningKeyStore(), options), settings.Table.DeploymentTag);
    }

    public ReconcilerHandler CreateReconcilerHandler()
    {
        var dynamo = CreateDynamoDb();
        var table = Table();
        var options = new ReconcilerOptions
        {
            DeploymentTag = settings.Table.DeploymentTag,
            IdleStageAfter = settings.Reconciler.IdleStageAfter,
            CallsPerSecond = settings.Reconciler.CallsPerSecondOrDefault,
        };
        var stages = new DynamoDbStageStore(dynamo, table);
        var ivs = CreateIvs();
        var service = new ReconcilerService(ivs, stages, new DynamoDbProjectionStore(dynamo, table),
            new DynamoDbReconcilerCheckpointStore(dynamo, table), stages,
            new CompositionConvergence(new DynamoDbCompositionStore(dynamo, table), ivs, TimeProvider.System), options,
            history: new DynamoDbSessionHistory(dynamo, table));
        return new ReconcilerHandler(service, options);
    }

    /// <summary>The <c>$connect</c> authorizer: the user JWT checked like the HTTP API's JWT authorizer does (JWKS cached).</summary>
    public ConnectAuthorizerHandler CreateLiveAuthorizerHandler()
    {
        var (issuer, audiences) = settings.Live.RequireJwt();
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return new ConnectAuthorizerHandler(
            new JwtAuthorizer(new JwtAuthorizerOptions(issuer, audiences), new OidcSigningKeys(http, issuer)));
    }

    public WebSocketRouteHandler CreateLiveConnectionsHandler()
    {
        var dynamo = CreateDynamoDb();
        var table = Table();
        return new WebSocketRouteHandler(
            new LiveConnectionService(new DynamoDbLiveConnectionStore(dynamo, table), new DynamoDbStageStore(dynamo, table)));
    }

    public NotifierHandler CreateNotifierHandler()
    {
        var dynamo = CreateDynamoDb();
        var table = Table();
        var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
        });
        var poster = new ManagementApiPoster(http, settings.Live.RequireManagementEndpoint(), settings.Aws.Region, credentials);
        return new NotifierHandler(new LiveNotifier(new DynamoDbLiveConnectionStore(dynamo, table), poster));
    }

    /// <summary>null = the API default (IVS CreateParticipantToken); self-signed reads the key once, then per cache TTL.</summary>
    private SelfSignedTokenMinter? CreateTokenMinter() => settings.Tokens.Mode switch
    {
        TokenMintingMode.SelfSigned =>
            new SelfSignedTokenMinter(new SigningKeyCache(CreateSigningKeyStore(), settings.Tokens.SigningKeyCacheTtl)),
        _ => null,
    };

    private ITokenSigningKeyStore CreateSigningKeyStore()
    {
        if (signingKeys is not null)
        {
            return signingKeys;
        }

        var options = new SsmTokenSigningKeyOptions
        {
            ParameterName = settings.Tokens.SigningKeyParameter
                ?? throw new InvalidOperationException("Invalid function configuration: TOKEN_SIGNING_KEY_PARAMETER is required."),
            KmsKeyId = settings.Tokens.SigningKmsKeyId,
        };
        options.Validate();

        var config = Endpoint(new AmazonSimpleSystemsManagementConfig(), settings.Aws.SsmEndpoint);
        var ssm = credentials is null ? new AmazonSimpleSystemsManagementClient(config) : new AmazonSimpleSystemsManagementClient(
            credentials, config);
        return new SsmTokenSigningKeyStore(ssm, options);
    }

    /// <summary>An explicit endpoint (local engines) signs for the configured region; otherwise the region's AWS endpoint.</summary>
    private TConfig Endpoint<TConfig>(TConfig config, Uri? endpoint) where TConfig : Amazon.Runtime.ClientConfig
    {
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = settings.Aws.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Aws.Region);
        }

        return config;
    }

    /// <summary>The recordings bucket (once per container, with the handler); none when <c>RECORDINGS_BUCKET</c> is unset.</summary>
    private S3RecordingObjects? CreateRecordingObjects() =>
        settings.Recordings.BucketName is { } bucket
            ? new S3RecordingObjects(new S3RecordingOptions(bucket, settings.Recordings.S3EndpointUrl, settings.Aws.Region), credentials)
            : null;

    private FaultTranslatingDynamoDbClient CreateDynamoDb()
    {
        var config = Endpoint(new AmazonDynamoDBConfig(), settings.Aws.DynamoDbEndpoint);
        return credentials is null ? new FaultTranslatingDynamoDbClient(config) : new FaultTranslatingDynamoDbClient(credentials, config);
    }

    /// <summary>The IVS adapter over the typed client: every IVS port the functions' services take.</summary>
    private IvsRealTimeAdapter CreateIvs()
    {
        var options = new IvsRealTimeClientOptions
        {
            Region = settings.Aws.Region,
            ServiceUrl = settings.Aws.IvsEndpoint?.ToString().TrimEnd('/')
        };
        options.Validate();

        // Redirects would replay a signed request to another host: never follow them.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return new IvsRealTimeAdapter(new IvsRealTimeClient(http, options, credentials));
    }
}
