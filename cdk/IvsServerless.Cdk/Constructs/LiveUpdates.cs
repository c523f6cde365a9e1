using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.AwsApigatewayv2Authorizers;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;

namespace IvsServerless.Cdk.Constructs;

public sealed record LiveUpdatesProps(FunctionFoundation Foundation, string JwtIssuer, IReadOnlyList<string> JwtAudiences);

/// <summary>
/// Live updates (docs/live-updates.md): the WebSocket API (stable L2 constructs of Amazon.CDK.Lib 2.160) with the
/// <c>$connect</c> Lambda authorizer (the user JWT in the <c>token</c> query parameter), the routes function on
/// <c>$connect</c>, <c>$disconnect</c> and <c>$default</c> (two-way: its reply goes back on the connection), and the notifier
/// on the table's stream through an L1 event source mapping (filter, bisect, bounded retries, on-failure queue, partial
/// batch responses) so its role reads this table's stream only (the L2 event source would add <c>ListStreams</c> on
/// <c>*</c>); it may post to this API's <c>@connections</c> only.
/// </summary>
public sealed class LiveUpdates : Construct
{
    public const string StageName = "live";

    public ServerlessFunction Authorizer { get; }

    public ServerlessFunction Connections { get; }

    public ServerlessFunction Notifier { get; }

    public WebSocketApi Api { get; }

    public WebSocketStage Stage { get; }

    public CfnEventSourceMapping StreamMapping { get; }

    /// <summary>Batches given up on after their retries (a description of the records: read them from the stream).</summary>
    public Queue FailureQueue { get; }

    public LiveUpdates(Construct scope, string id, LiveUpdatesProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var foundation = props.Foundation;
        Authorizer = new ServerlessFunction(this, "AuthorizerFunction", new ServerlessFunctionProps(
            BackendFunctions.LiveAuthorizer, foundation,
            new LiveSettings { JwtIssuer = props.JwtIssuer, JwtAudiences = props.JwtAudiences }.Variables()));
        Connections = new ServerlessFunction(this, "ConnectionsFunction",
            new ServerlessFunctionProps(BackendFunctions.LiveConnections, foundation));

        var routes = new WebSocketLambdaIntegration("Routes", Connections.Function);
        Api = new WebSocketApi(this, "WebSocketApi", new WebSocketApiProps
        {
            Description = "IvsServerless live updates: stage changes pushed to apps",
            ConnectRouteOptions = new WebSocketRouteOptions
            {
                Integration = routes,
                Authorizer = new WebSocketLambdaAuthorizer("Jwt", Authorizer.Function, new WebSocketLambdaAuthorizerProps
                {
                    IdentitySource = ["route.request.querystring.token"],
                }),
            },
            DisconnectRouteOptions = new WebSocketRouteOptions { Integration = routes },
            DefaultRouteOptions = new WebSocketRouteOptions { Integration = routes, ReturnResponse = true },
        });
        Stage = new WebSocketStage(this, "Stage", new WebSocketStageProps
        {
            WebSocketApi = Api,
            StageName = StageName,
            AutoDeploy = true,
            Throttle = new ThrottleSettings
            {
                RateLimit = foundation.Settings.ApiRateLimit,
                BurstLimit = foundation.Settings.ApiBurstLimit
            },
        });

        var stack = Amazon.CDK.Stack.Of(this);
        var connectionsArn = stack.FormatArn(new ArnComponents
        {
            Service = "execute-api",
            Resource = Api.ApiId,
            ResourceName = $"{StageName}/POST/@connections/*",
        });
        var trigger = BackendFunctions.LiveNotifier.TableStream!;
        Notifier = new ServerlessFunction(this, "NotifierFunction", new ServerlessFunctionProps(
            BackendFunctions.LiveNotifier, foundation with { Targets = foundation.Targets with { LiveConnectionsArn = connectionsArn } },
            [new(LiveSettings.ManagementEndpointVariable, Stage.CallbackUrl)]));

        FailureQueue = DeadLetterQueues.Create(this, "FailureQueue");
        var streamArn = foundation.Targets.Table.TableStreamArn
            ?? throw new InvalidOperationException("Live updates need the table's stream (DataStore declares it).");
        Notifier.Role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "TableStream",
            Actions = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
            Resources = [streamArn],
        }));
        Notifier.Role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "StreamFailures",
            Actions = ["sqs:SendMessage"],
            Resources = [FailureQueue.QueueArn],
        }));
        StreamMapping = new CfnEventSourceMapping(this, "StreamMapping", new CfnEventSourceMappingProps
        {
            FunctionName = Notifier.Function.FunctionName,
            EventSourceArn = streamArn,
            StartingPosition = "LATEST",
            BatchSize = trigger.BatchSize,
            MaximumBatchingWindowInSeconds = 0,
            BisectBatchOnFunctionError = true,
            MaximumRetryAttempts = trigger.MaxRetries,
            MaximumRecordAgeInSeconds = (int)trigger.MaxRecordAge.TotalSeconds,
            FunctionResponseTypes = ["ReportBatchItemFailures"],
            FilterCriteria = new CfnEventSourceMapping.FilterCriteriaProperty
            {
                Filters = trigger.PartitionKeyPrefixes.Select(
                    prefix => (object)new CfnEventSourceMapping.FilterProperty { Pattern = Filter(prefix) }).ToArray(),
            },
            DestinationConfig = new CfnEventSourceMapping.DestinationConfigProperty
            {
                OnFailure = new CfnEventSourceMapping.OnFailureProperty { Destination = FailureQueue.QueueArn },
            },
        });
        // The mapping is checked against the role when it is created: the policy must exist first.
        StreamMapping.Node.AddDependency(Notifier.Role);
    }

    public IReadOnlyList<ServerlessFunction> Functions => [Authorizer, Connections, Notifier];

    /// <summary>Where clients connect: <c>wss://{api-id}.execute-api.{region}.amazonaws.com/live</c>.</summary>
    public string Url => Stage.Url;

    /// <summary>An alarm when the notifier falls behind the stream (its iterator age), to the stack's alarm topic.</summary>
    public Alarm AddIteratorAgeAlarm(Topic topic, Duration threshold)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(threshold);
        return Observability.SustainedLagAlarm(
            this, "NotifierIteratorAge", "The notifier is behind the table's stream: live updates arrive late",
            Notifier.Function.Metric("IteratorAge", new MetricOptions { Period = Duration.Minutes(1), Statistic = "Maximum" }),
            threshold.ToMilliseconds(), topic);
    }

    /// <summary>The event filter: <c>{"dynamodb":{"Keys":{"PK":{"S":[{"prefix":…}]}}}}</c>.</summary>
    private static string Filter(string prefix) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["dynamodb"] = new Dictionary<string, object>
        {
            ["Keys"] = new Dictionary<string, object>
            {
                ["PK"] = new Dictionary<string, object> { ["S"] = new object[] { new Dictionary<string, string> { ["prefix"] = prefix } } },
            },
        },
    });
}
