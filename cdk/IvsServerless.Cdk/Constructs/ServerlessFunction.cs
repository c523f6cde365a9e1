using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using IvsServerless.Cdk.Access;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;
using Architecture = Amazon.CDK.AWS.Lambda.Architecture;
using Function = Amazon.CDK.AWS.Lambda.Function;

namespace IvsServerless.Cdk.Constructs;

/// <summary>What every function construct shares: the one executable, the operator's settings, the table, the grant targets.</summary>
/// <param name="AssetDirectory">The directory holding the published <c>bootstrap</c> (dotnet publish src/IvsServerless.Lambda).</param>
public sealed record FunctionFoundation(string AssetDirectory, DeploymentSettings Settings, TableSettings Table, GrantTargets Targets);

/// <param name="Environment">The function's settings beyond the table's (written by the contract's settings records).</param>
public sealed record ServerlessFunctionProps(
    FunctionDeclaration Declaration,
    FunctionFoundation Foundation,
    IEnumerable<KeyValuePair<string, string>>? Environment = null,
    RetentionDays LogRetention = RetentionDays.ONE_MONTH);

/// <summary>
/// One function of the contract: provided.al2023 running the Native AOT <c>bootstrap</c> with the declared handler,
/// memory and timeout; its own role with exactly the declared grants (plus writing its own log group and X-Ray); JSON
/// logs into a log group with retention; active tracing.
/// </summary>
public sealed class ServerlessFunction : Construct
{
    public Function Function { get; }

    public Role Role { get; }

    public LogGroup LogGroup { get; }

    public FunctionDeclaration Declaration { get; }

    public string Handler => Declaration.Handler;

    public ServerlessFunction(Construct scope, string id, ServerlessFunctionProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Declaration = props.Declaration;
        var foundation = props.Foundation;

        // Own log group: retention is set here, and the role can write to it without logs:* on "*".
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"The {Handler} function (least privilege: only what its code calls)",
        });
        Role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [LogGroup.LogGroupArn],
        }));
        Function = new Function(this, "Function", new FunctionProps
        {
            Description = Declaration.Description,
            Runtime = Runtime.PROVIDED_AL2023,
            Handler = Handler,
            Code = Code.FromAsset(foundation.AssetDirectory),
            Architecture = foundation.Settings.Architecture == "arm64" ? Architecture.ARM_64 : Architecture.X86_64,
            MemorySize = Declaration.MemoryMb,
            Timeout = Duration.Seconds(Declaration.Timeout.TotalSeconds),
            Role = Role,
            LogGroup = LogGroup,
            LoggingFormat = LoggingFormat.JSON,
            Tracing = Tracing.ACTIVE,
            Environment = foundation.Table.Variables().Concat(props.Environment ?? []).ToDictionary(e => e.Key, e => e.Value),
        });

        // After the function, whose tracing adds the X-Ray statement first (the policy reads in the order granted).
        FunctionAccess.Grant(Role, Declaration.AccessFor(foundation.Settings.TokenMode), foundation.Targets);
    }
}
