using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Architecture = Amazon.CDK.AWS.Lambda.Architecture;
using Function = Amazon.CDK.AWS.Lambda.Function;

namespace IvsServerless.Cdk.Constructs;

/// <param name="Handler">The <c>_HANDLER</c> value: which handler of the one bootstrap executable this function runs.</param>
/// <param name="AssetDirectory">The directory holding the published <c>bootstrap</c> (dotnet publish src/IvsServerless.Lambda).</param>
/// <param name="Architecture">x86_64 or arm64, matching the runtime identifier of the publish.</param>
public sealed record ServerlessFunctionProps(
    string Handler,
    string Description,
    string AssetDirectory,
    string Architecture,
    int MemorySizeMb,
    Duration Timeout,
    IReadOnlyDictionary<string, string> Environment,
    RetentionDays LogRetention = RetentionDays.ONE_MONTH);

/// <summary>
/// One function of the backend: provided.al2023 running the Native AOT <c>bootstrap</c>, its own role (nothing but
/// writing to its own log group and X-Ray until a construct grants more), JSON logs into a log group with retention,
/// active tracing, and explicit memory and timeout.
/// </summary>
public sealed class ServerlessFunction : Construct
{
    public Function Function { get; }

    public Role Role { get; }

    public LogGroup LogGroup { get; }

    public string Handler { get; }

    public ServerlessFunction(Construct scope, string id, ServerlessFunctionProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Handler = props.Handler;

        // Own log group: retention is set here, and the role can write to it without logs:* on "*".
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"The {props.Handler} function (least privilege: only what its code calls)",
        });
        Role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [LogGroup.LogGroupArn],
        }));

        Function = new Function(this, "Function", new FunctionProps
        {
            Description = props.Description,
            Runtime = Runtime.PROVIDED_AL2023,
            Handler = props.Handler,
            Code = Code.FromAsset(props.AssetDirectory),
            Architecture = props.Architecture == "arm64" ? Architecture.ARM_64 : Architecture.X86_64,
            MemorySize = props.MemorySizeMb,
            Timeout = props.Timeout,
            Role = Role,
            LogGroup = LogGroup,
            LoggingFormat = LoggingFormat.JSON,
            Tracing = Tracing.ACTIVE,
            Environment = props.Environment.ToDictionary(e => e.Key, e => e.Value),
        });
    }
}
