using System.Globalization;
using Amazon.CDK;
using Constructs;
using IvsServerless.Api.HttpApi;
using IvsServerless.Cdk.Access;
using IvsServerless.Cdk.Constructs;
using IvsServerless.LocalBus;

namespace IvsServerless.Cdk;

/// <param name="LambdaAssetDirectory">Where the published <c>bootstrap</c> is (the app publishes it first; tests pass a stand-in).</param>
public sealed record IvsServerlessStackProps(DeploymentSettings Settings, string LambdaAssetDirectory);

/// <summary>
/// The deployed backend, composed of one construct per concern: data, IVS resources, functions, API, IVS events,
/// reconciler, observability. Each function gets exactly the IVS and DynamoDB actions its code calls.
/// </summary>
public sealed class IvsServerlessStack : Stack
{
    public DataStore Data { get; }
    public IvsResources Ivs { get; }
    public IReadOnlyList<ServerlessFunction> Functions { get; }
    public UserDirectory? Users { get; }
    public HttpApiFront Api { get; }
    public IvsEventRouting? Events { get; }
    public Reconciliation? Reconciliation { get; }
    public Observability Observability { get; }
    public TokenSigning? TokenSigning { get; }

    public IvsServerlessStack(Construct scope, string id, IvsServerlessStackProps props, IStackProps? stackProps = null)
        : base(scope, id, stackProps ?? new StackProps { Description = "IvsServerless: a serverless backend for Amazon IVS Real-Time apps" })
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;

        Data = new DataStore(this, "Data", new DataStoreProps(settings.RemovalPolicy));
        Ivs = new IvsResources(this, "IvsResources", new IvsResourcesProps(settings.CompositionBucketName, settings.DeploymentTag));

        ServerlessFunction Function(string constructId, string handler, string description, int memoryMb, Duration timeout,
            IReadOnlyDictionary<string, string>? environment = null)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["TABLE_NAME"] = Data.Table.TableName,
                ["DEPLOYMENT_TAG"] = settings.DeploymentTag,
            };
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                variables[key] = value;
            }

            return new ServerlessFunction(this, constructId, new ServerlessFunctionProps(
                handler, description, props.LambdaAssetDirectory, settings.Architecture, memoryMb, timeout, variables));
        }

        // API functions: API Gateway waits at most 30 s; these answer well inside 10.
        var stages = Function("StagesFunction", Handlers.Stages, "HTTP API: stages", 512, Duration.Seconds(10));
        var tokenMaxDuration = settings.TokenMaxDurationMinutes.ToString(CultureInfo.InvariantCulture);
        var signingKeyParameter = $"/{StackName}/participant-token-signing-key";
        var tokenEnvironment = new Dictionary<string, string>(StringComparer.Ordinal) { ["TOKEN_MAX_DURATION_MINUTES"] = tokenMaxDuration };
        if (settings.SelfSignedTokens)
        {
            tokenEnvironment["TOKEN_MODE"] = DeploymentSettings.TokenModes.SelfSigned;
            tokenEnvironment["TOKEN_SIGNING_KEY_PARAMETER"] = signingKeyParameter;
        }

        var tokens = Function("TokensFunction", Handlers.Tokens, "HTTP API: participant tokens and kicks", 512, Duration.Seconds(10), tokenEnvironment);
        // Compositions need the encoder configuration and a destination: S3 recording, an IVS channel, or both.
        var compositionEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Ivs.StorageConfiguration is { } storage)
        {
            compositionEnvironment["COMPOSITION_STORAGE_CONFIGURATION_ARN"] = storage.AttrArn;
        }

        if (settings.CompositionChannelArn is { } channel)
        {
            compositionEnvironment["COMPOSITION_CHANNEL_ARN"] = channel;
        }

        if (compositionEnvironment.Count > 0)
        {
            compositionEnvironment["COMPOSITION_ENCODER_CONFIGURATION_ARN"] = Ivs.EncoderConfiguration.AttrArn;
        }

        var compositions = Function("CompositionsFunction", Handlers.Compositions, "HTTP API: compositions", 512, Duration.Seconds(10), compositionEnvironment);
        List<ServerlessFunction> functions = [stages, tokens, compositions];
        List<Amazon.CDK.AWS.SQS.Queue> deadLetterQueues = [];
        GrantApiFunctions(stages, tokens, compositions, settings);

        if (Handlers.Deployed.Contains(Handlers.IvsEvents))
        {
            var ivsEvents = Function("IvsEventsFunction", Handlers.IvsEvents, "IVS EventBridge events into the DynamoDB projection", 256, Duration.Seconds(30));
            GrantIvsEvents(ivsEvents);
            Events = new IvsEventRouting(this, "IvsEvents", new IvsEventRoutingProps(ivsEvents, IvsRules.All));
            functions.Add(ivsEvents);
            deadLetterQueues.Add(Events.DeadLetterQueue);
        }

        if (Handlers.Deployed.Contains(Handlers.Reconciler))
        {
            // Overlapping runs are kept apart by the reconciler's own lease in the table, not by reserved concurrency
            // (which new accounts, limited to 10 concurrent executions, cannot grant).
            var reconciler = Function("ReconcilerFunction", Handlers.Reconciler, "Scheduled repair of the projection and idle-stage sweep", 512, Duration.Seconds(55),
                new Dictionary<string, string>
                {
                    ["IDLE_STAGE_MINUTES"] = settings.IdleStageTimeoutMinutes.ToString(CultureInfo.InvariantCulture),
                });
            GrantReconciler(reconciler);
            Reconciliation = new Reconciliation(this, "Reconciliation", new ReconciliationProps(reconciler, Duration.Minutes(1)));
            functions.Add(reconciler);
            deadLetterQueues.Add(Reconciliation.DeadLetterQueue);
        }

        if (settings.SelfSignedTokens)
        {
            // The rotation keeps retired keys for the longest token lifetime, so it reads the same cap as the tokens function.
            var rotation = Function("KeyRotationFunction", Handlers.KeyRotation, "Rotates the participant-token signing key", 256, Duration.Minutes(1),
                new Dictionary<string, string>
                {
                    ["TOKEN_SIGNING_KEY_PARAMETER"] = signingKeyParameter,
                    ["TOKEN_MAX_DURATION_MINUTES"] = tokenMaxDuration,
                });
            functions.Add(rotation);
            TokenSigning = new TokenSigning(this, "TokenSigning", new TokenSigningProps(rotation, signingKeyParameter, Duration.Hours(1)));
            TokenSigning.GrantRead(tokens.Role);
            deadLetterQueues.Add(TokenSigning.DeadLetterQueue);
        }

        Functions = functions;

        var issuer = settings.JwtIssuer;
        var audiences = settings.JwtAudiences;
        if (issuer is null)
        {
            Users = new UserDirectory(this, "Users", new UserDirectoryProps(settings.AllowSelfSignUp, settings.RemovalPolicy));
            issuer = Users.Issuer;
            audiences = [Users.AppClient.UserPoolClientId];
        }

        Api = new HttpApiFront(this, "Api", new HttpApiFrontProps(
            issuer, audiences, settings.CorsAllowedOrigins, settings.ApiRateLimit, settings.ApiBurstLimit,
            new Dictionary<string, ServerlessFunction>(StringComparer.Ordinal)
            {
                [RouteGroups.Stages] = stages,
                [RouteGroups.Health] = stages,
                [RouteGroups.Tokens] = tokens,
                [RouteGroups.Compositions] = compositions,
            }));

        Observability = new Observability(this, "Observability", new ObservabilityProps(Functions, deadLetterQueues, Api.Api, settings.AlarmEmail));

        _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = Api.Url, Description = "Base URL of the HTTP API" });
        _ = new CfnOutput(this, "JwtIssuer", new CfnOutputProps { Value = issuer, Description = "Issuer the API's JWT authorizer trusts" });
        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = Data.Table.TableName, Description = "The DynamoDB table" });
        _ = new CfnOutput(this, "AlarmTopicArn", new CfnOutputProps { Value = Observability.AlarmTopic.TopicArn, Description = "Subscribe to receive alarms" });
        if (TokenSigning is not null)
        {
            _ = new CfnOutput(this, "TokenSigningKeyParameter", new CfnOutputProps { Value = TokenSigning.ParameterName, Description = "SSM SecureString the key-rotation function keeps the signing key in" });
        }

        if (Users is not null)
        {
            _ = new CfnOutput(this, "UserPoolId", new CfnOutputProps { Value = Users.UserPool.UserPoolId, Description = "Cognito user pool apps sign in to" });
            _ = new CfnOutput(this, "UserPoolClientId", new CfnOutputProps { Value = Users.AppClient.UserPoolClientId, Description = "App client id (public, SRP)" });
        }
    }

    private void GrantApiFunctions(ServerlessFunction stages, ServerlessFunction tokens, ServerlessFunction compositions, DeploymentSettings settings)
    {
        var selfSignedTokens = settings.SelfSignedTokens;
        var table = Data.Table;
        var stageArns = IvsArns.Stages(this);

        // StageService: CreateStage (tagged with owner and deployment: creating with tags needs ivs:TagResource),
        // UpdateStage (rename), DeleteStage. Stages are listed from DynamoDB (owner and live indexes), never from IVS.
        FunctionAccess.GrantIvs(stages.Role, new IvsGrant(["ivs:CreateStage", "ivs:DeleteStage", "ivs:TagResource", "ivs:UpdateStage"], [stageArns]));
        FunctionAccess.GrantTable(stages.Role, table, ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], indexQueries: true);

        // TokenService: CreateParticipantToken; ParticipantService: DisconnectParticipant. Both read the stage item.
        // Self-signed tokens are signed in the function instead, but need the stage's endpoints: stages stored before
        // endpoints were cached get them once from GetStage and keep them on the stage item (PutItem).
        if (selfSignedTokens)
        {
            FunctionAccess.GrantIvs(tokens.Role, new IvsGrant(["ivs:DisconnectParticipant", "ivs:GetStage"], [stageArns]));
            FunctionAccess.GrantTable(tokens.Role, table, ["dynamodb:GetItem", "dynamodb:PutItem"], indexQueries: false);
        }
        else
        {
            FunctionAccess.GrantIvs(tokens.Role, new IvsGrant(["ivs:CreateParticipantToken", "ivs:DisconnectParticipant"], [stageArns]));
            FunctionAccess.GrantTable(tokens.Role, table, FunctionAccess.Read, indexQueries: false);
        }

        // CompositionService: StartComposition (on the stage, with the encoder and storage configurations and the channel, tagged),
        // StopComposition. The store writes the composition and its idempotency claim in one transaction (PutItem ×2).
        var startResources = new List<string> { IvsArns.Compositions(this), stageArns, Ivs.EncoderConfiguration.AttrArn };
        if (Ivs.StorageConfiguration is { } storage)
        {
            startResources.Add(storage.AttrArn);
        }

        if (settings.CompositionChannelArn is { } channel)
        {
            startResources.Add(channel);
        }

        FunctionAccess.GrantIvs(compositions.Role, new IvsGrant(["ivs:StartComposition"], startResources), "IvsStart");
        FunctionAccess.GrantIvs(compositions.Role, new IvsGrant(["ivs:StopComposition", "ivs:TagResource"], [IvsArns.Compositions(this)]), "IvsComposition");
        FunctionAccess.GrantTable(compositions.Role, table, ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"], indexQueries: false);
    }

    /// <summary>
    /// IvsEventService: reads the stage and composition items, applies the event to the projection (field-group
    /// updates, session items), records the live session on the stage, moves composition state, stores rejected events.
    /// It calls no IVS action.
    /// </summary>
    private void GrantIvsEvents(ServerlessFunction ivsEvents) =>
        FunctionAccess.GrantTable(ivsEvents.Role, Data.Table, ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"], indexQueries: false);

    /// <summary>
    /// ReconcilerService and IdleStageSweeper: list this deployment's IVS stages (ListStages has no resource type), read
    /// each one's sessions, participants and participant events, tag orphans, delete idle stages; the checkpoint item
    /// (UpdateItem), stage items (GetItem, PutItem) and projection items (Query, PutItem, UpdateItem) in the table.
    /// </summary>
    private void GrantReconciler(ServerlessFunction reconciler)
    {
        FunctionAccess.GrantIvs(reconciler.Role, new IvsGrant(
            ["ivs:DeleteStage", "ivs:GetStage", "ivs:ListParticipantEvents", "ivs:ListParticipants", "ivs:ListStageSessions", "ivs:TagResource"],
            [IvsArns.Stages(this)]));
        FunctionAccess.GrantIvs(reconciler.Role, new IvsGrant(["ivs:ListStages"], ["*"]), "IvsListStages");
        FunctionAccess.GrantTable(reconciler.Role, Data.Table, ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"], indexQueries: false);
    }

    /// <summary>Statements that must name <c>Resource: "*"</c> because AWS offers no resource-level permission for their actions.</summary>
    public static IReadOnlyDictionary<string, string> StarResourceActions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Added by Tracing.ACTIVE: X-Ray's PutTraceSegments/PutTelemetryRecords have no resource types.
        ["xray:PutTraceSegments"] = "X-Ray accepts no resource-level permission for sending traces",
        ["xray:PutTelemetryRecords"] = "X-Ray accepts no resource-level permission for sending telemetry",

        // key-rotation (self-signed tokens) lists the account's public keys to find its own and count the quota;
        // the reconciler lists stages to find this deployment's (by tag) and orphans of failed creates.
        ["ivs:ListPublicKeys"] = "IVS list actions have no resource type",
        ["ivs:ListStages"] = "IVS list actions have no resource type",
    };

}
