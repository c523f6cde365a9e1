using IvsServerless.Deployment.Access;
using IvsServerless.Deployment.Events;
using static IvsServerless.Deployment.Access.TableActions;
using Groups = IvsServerless.Deployment.Routes.RouteGroups;

namespace IvsServerless.Deployment.Functions;

/// <summary>
/// Every function of the backend. The grants say exactly what each function's code calls; the comments name the code.
/// </summary>
public static class BackendFunctions
{
    // API Gateway waits at most 30 s; the API functions answer well inside 10.
    private const int ApiMemoryMb = 512;

    /// <summary>Ingest configurations and participant replication (the tokens function, in both token modes).</summary>
    private static IReadOnlyList<IvsGrant> HostToolGrants { get; } =
    [
        new("IvsIngest",
            ["ivs:CreateIngestConfiguration", "ivs:DeleteIngestConfiguration", "ivs:GetIngestConfiguration", "ivs:TagResource"],
            [IvsResource.IngestConfigurations, IvsResource.Stages]),
        new("IvsListIngest", ["ivs:ListIngestConfigurations"], [IvsResource.Any]),
        new("IvsReplication",
            ["ivs:ListParticipantReplicas", "ivs:StartParticipantReplication", "ivs:StopParticipantReplication"],
            [IvsResource.Stages]),
    ];

    /// <summary>The whole HTTP API in one function: the local host, <c>bootstrap invoke</c>, a single-function deployment.</summary>
    public static FunctionDeclaration Api { get; } = new("api", FunctionKind.HttpApi, "HTTP API: every route")
    {
        MemoryMb = ApiMemoryMb,
        Presence = FunctionPresence.NotDeployed,
        RouteGroups = Groups.All,
    };

    /// <summary>
    /// StageService: CreateStage (tagged with owner and deployment: creating with tags needs ivs:TagResource), UpdateStage
    /// (rename), DeleteStage. Stages are listed from DynamoDB (owner and live indexes), never from IVS. An update that
    /// takes access away (ParticipantRevoker) reads the live session (GetStage), lists its connected participants and
    /// disconnects those who may no longer join.
    /// UserQuotas counts each owner's stages in a ledger item (PutItem creates it, UpdateItem claims and releases).
    /// </summary>
    public static FunctionDeclaration Stages { get; } = new("stages", FunctionKind.HttpApi, "HTTP API: stages")
    {
        MemoryMb = ApiMemoryMb,
        RouteGroups = [Groups.Stages, Groups.Health],
        Access = new AwsAccess
        {
            Ivs =
            [
                new("Ivs",
                    [
                        "ivs:CreateStage", "ivs:DeleteStage", "ivs:DisconnectParticipant", "ivs:GetStage", "ivs:ListParticipants",
                        "ivs:TagResource", "ivs:UpdateStage"],
                    [IvsResource.Stages]),
            ],
            Table = new([GetItem, PutItem, Query, UpdateItem], IndexQueries: true),

            // RecordingService: presigned GETs and the playlist read (GetObject), which thumbnails remain (ListBucket), DELETE
            // of a recording (ListBucket, then DeleteObjects: s3:DeleteObject per key).
            Recordings = new(["s3:DeleteObject", "s3:GetObject"], List: true),
        },
    };

    /// <summary>
    /// TokenService: CreateParticipantToken; ParticipantService: DisconnectParticipant, then records the kick (PutItem) for the
    /// live channel. Both read the stage item.
    /// A ban (ParticipantService) finds the participant's user in the live session (GetStage, GetParticipant), stores the
    /// ban on the stage item (PutItem) and disconnects every participant of that user (ListParticipants by user id).
    /// UserQuotas counts each user's tokens per minute in a ledger item (PutItem creates it, UpdateItem claims).
    /// Self-signed tokens are signed in the function instead, but need the stage's endpoints: stages stored before
    /// endpoints were cached get them once from GetStage and keep them on the stage item (PutItem).
    /// IngestService: CreateIngestConfiguration (bound to the stage, tagged), then GetStage for its RTMP(S) endpoint;
    /// ListIngestConfigurations (no resource type) to list and count a stage's; GetIngestConfiguration and
    /// DeleteIngestConfiguration to delete one. ReplicationService: StartParticipantReplication, StopParticipantReplication and
    /// ListParticipantReplicas on the source and destination stages.
    /// </summary>
    public static FunctionDeclaration Tokens { get; } = new("tokens", FunctionKind.HttpApi, "HTTP API: participant tokens and kicks")
    {
        MemoryMb = ApiMemoryMb,
        RouteGroups = [Groups.Tokens],
        Access = new AwsAccess
        {
            Ivs =
            [
                new("Ivs",
                    [
                        "ivs:CreateParticipantToken", "ivs:DisconnectParticipant", "ivs:GetParticipant", "ivs:GetStage",
                        "ivs:ListParticipants"],
                    [IvsResource.Stages]),
                .. HostToolGrants,
            ],
            Table = new([GetItem, PutItem, UpdateItem]),
        },
        SelfSignedAccess = new AwsAccess
        {
            Ivs =
            [
                new("Ivs", ["ivs:DisconnectParticipant", "ivs:GetParticipant", "ivs:GetStage", "ivs:ListParticipants"],
                    [IvsResource.Stages]),
                .. HostToolGrants,
            ],
            Table = new([GetItem, PutItem, UpdateItem]),
            SigningKey = SigningKeyGrant.Read,
        },
    };

    /// <summary>
    /// CompositionService: StartComposition (on the stage, with the encoder and storage configurations and the channel,
    /// tagged), StopComposition. The store writes the composition and its idempotency claim in one transaction.
    /// </summary>
    public static FunctionDeclaration Compositions { get; } = new("compositions", FunctionKind.HttpApi, "HTTP API: compositions")
    {
        MemoryMb = ApiMemoryMb,
        RouteGroups = [Groups.Compositions],
        Access = new AwsAccess
        {
            Ivs =
            [
                new("IvsStart", ["ivs:StartComposition"],
                    [IvsResource.Compositions, IvsResource.Stages, IvsResource.EncoderConfiguration, IvsResource.StorageConfiguration,
                        IvsResource.CompositionChannel]),
                new("IvsComposition", ["ivs:StopComposition", "ivs:TagResource"], [IvsResource.Compositions]),
            ],
            Table = new([GetItem, PutItem, Query, UpdateItem]),
        },
    };

    /// <summary>
    /// IvsEventService: reads the stage and composition items, applies the event to the projection (field-group updates,
    /// session items), records the live session on the stage, moves composition state, stores rejected events. One IVS call,
    /// only when a batch leaves a participant's publishing contested within one second (PublishingTie): ListParticipantEvents.
    /// A batch reads its stages at once (StageCache: BatchGetItem) and writes its event-log entries in BatchWriteItems
    /// (DynamoDbProjectionStore.ApplyBatchAsync). The rules deliver to a queue that invokes it with batches
    /// (<see cref="FunctionDeclaration.Queue"/>): up to 100 events, after at most a second, at most 5 invocations at once;
    /// an event failed 5 times is dead-lettered (the handler's composition grace needs about 90 s of retries: 5 receives
    /// 3 minutes apart cover it).
    /// </summary>
    public static FunctionDeclaration IvsEvents { get; } =
        new("ivs-events", FunctionKind.IvsEvents, "IVS EventBridge events into the DynamoDB projection")
        {
            Timeout = TimeSpan.FromSeconds(30),
            Rules = IvsRules.All,
            Queue = new QueueTrigger(BatchSize: 100, BatchingWindow: TimeSpan.FromSeconds(1), MaximumConcurrency: 5, MaxReceiveCount: 5),
            Access = new AwsAccess
            {
                Ivs = [new("IvsParticipantEvents", ["ivs:ListParticipantEvents"], [IvsResource.Stages])],
                Table = new([BatchGetItem, BatchWriteItem, GetItem, PutItem, Query, UpdateItem]),
            },
        };

    /// <summary>
    /// ReconcilerService and IdleStageSweeper: list this deployment's IVS stages (ListStages has no resource type), read
    /// each one's sessions, participants and participant events, tag orphans, delete idle stages; the checkpoint item,
    /// stage items and projection items in the table. GhostStageWalk scans a slice of the owner index per run and asks
    /// GetStage whether each record's IVS stage still exists. CompositionConvergence asks GetComposition about compositions
    /// the events left STARTING or STOPPING. Overlapping runs are kept apart by its lease in the table, not by
    /// reserved concurrency (which new accounts, limited to 10 concurrent executions, cannot grant).
    /// </summary>
    public static FunctionDeclaration Reconciler { get; } =
        new("reconciler", FunctionKind.Reconciler, "Scheduled repair of the projection and idle-stage sweep")
        {
            MemoryMb = 512,
            Timeout = TimeSpan.FromSeconds(55),
            Schedule = TimeSpan.FromMinutes(1),
            Access = new AwsAccess
            {
                Ivs =
                [
                    new("Ivs",
                        [
                            "ivs:DeleteStage", "ivs:GetStage", "ivs:ListParticipantEvents", "ivs:ListParticipants", "ivs:ListStageSessions",
                            "ivs:TagResource"],
                        [IvsResource.Stages]),
                    new("IvsCompositions", ["ivs:GetComposition"], [IvsResource.Compositions]),
                    new("IvsListStages", ["ivs:ListStages"], [IvsResource.Any]),
                ],
                Table = new([GetItem, PutItem, Query, Scan, UpdateItem], IndexQueries: true),
            },
        };

    /// <summary>
    /// SigningKeyRotation: imports, lists (no resource type), tags and deletes this deployment's IVS public keys, and
    /// keeps the private key in its SSM SecureString. Runs on every deploy (custom resource) and on its schedule.
    /// </summary>
    public static FunctionDeclaration KeyRotation { get; } =
        new("key-rotation", FunctionKind.KeyRotation, "Rotates the participant-token signing key")
        {
            Timeout = TimeSpan.FromMinutes(1),
            Presence = FunctionPresence.WithSelfSignedTokens,
            Schedule = TimeSpan.FromHours(1),
            Access = new AwsAccess
            {
                Ivs =
                [
                    new("IvsPublicKeys", ["ivs:DeletePublicKey", "ivs:ImportPublicKey", "ivs:TagResource"], [IvsResource.PublicKeys]),
                    new("IvsListPublicKeys", ["ivs:ListPublicKeys"], [IvsResource.Any]),
                ],
                SigningKey = SigningKeyGrant.Rotate,
            },
        };

    /// <summary>
    /// ConnectAuthorizerHandler: checks the user JWT of a WebSocket <c>$connect</c> against the issuer's JWKS (HTTPS, no AWS
    /// call). No AWS access.
    /// </summary>
    public static FunctionDeclaration LiveAuthorizer { get; } =
        new("live-authorizer", FunctionKind.LiveAuthorizer, "Live updates: authenticates WebSocket connections (user JWT)");

    /// <summary>
    /// LiveConnectionService: $connect stores the connection and its user entry (TransactWriteItems of two puts),
    /// $disconnect reads and deletes them with the subscriptions, $default reads the stage (as GET /stages/{id}), adds the
    /// stage to the connection (UpdateItem), puts the subscription and reads the stage's live version.
    /// </summary>
    public static FunctionDeclaration LiveConnections { get; } =
        new("live-connections", FunctionKind.LiveConnections, "Live updates: WebSocket $connect, $disconnect, $default")
        {
            WebSocketRoutes = ["$connect", "$disconnect", "$default"],
            Access = new AwsAccess { Table = new([DeleteItem, GetItem, PutItem, UpdateItem]) },
        };

    /// <summary>
    /// LiveNotifier: for each stage change in the table's stream, advances the stage's live version (UpdateItem), reads its
    /// subscribers and users' connections (Query) and a kicked participant's user (GetItem), posts to connections (API
    /// Gateway Management API), forgets gone connections and revoked subscriptions (GetItem, DeleteItem, UpdateItem).
    /// </summary>
    public static FunctionDeclaration LiveNotifier { get; } =
        new("notifier", FunctionKind.LiveNotifier, "Live updates: table changes to WebSocket messages")
        {
            Timeout = TimeSpan.FromSeconds(60),
            MemoryMb = 512,
            TableStream = new TableStreamTrigger(["STAGE#"], BatchSize: 100, MaxRetries: 5, MaxRecordAge: TimeSpan.FromHours(1)),
            Access = new AwsAccess { Table = new([DeleteItem, GetItem, Query, UpdateItem]), ManageLiveConnections = true },
        };

    public static IReadOnlyList<FunctionDeclaration> All { get; } =
        [Api, Stages, Tokens, Compositions, IvsEvents, Reconciler, KeyRotation, LiveAuthorizer, LiveConnections, LiveNotifier];

    public static FunctionDeclaration Named(string handler) =>
        All.FirstOrDefault(f => f.Handler == handler)
            ?? throw new ArgumentException($"No function has the handler '{handler}'.", nameof(handler));
}
