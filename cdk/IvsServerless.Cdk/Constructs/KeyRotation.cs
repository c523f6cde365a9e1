using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.CustomResources;
using Constructs;
using IvsServerless.Cdk.Access;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;
using LogGroupProps = Amazon.CDK.AWS.Logs.LogGroupProps;

namespace IvsServerless.Cdk.Constructs;

public sealed record KeyRotationProps(FunctionFoundation Foundation);

/// <summary>
/// Self-signed participant tokens (context <c>tokenMode=self-signed</c>): a KMS key that encrypts the private key
/// in SSM, and the <c>key-rotation</c> function run on every deploy (custom resource: Create/Update rotate when due,
/// Delete removes this deployment's IVS public keys and the parameter) and on its schedule.
/// </summary>
public sealed class KeyRotation : Construct
{
    public Key Key { get; }

    /// <summary>Where the current signing key is, for the functions that read it.</summary>
    public SigningKeyLocation SigningKey { get; }

    public ServerlessFunction Function { get; }

    public Rule Schedule { get; }

    public Queue DeadLetterQueue { get; }

    public CustomResource Keys { get; }

    public KeyRotation(Construct scope, string id, KeyRotationProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stack = Stack.Of(this);

        // Only encrypts one SSM parameter that teardown deletes: nothing to keep it for once the stack is gone.
        Key = new Key(this, "Key", new KeyProps
        {
            Description = "Encrypts the participant-token signing key (SSM SecureString)",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.DESTROY,
            PendingWindow = Duration.Days(7),
        });
        // The SSM SecureString that will hold the current private key. The rotation function creates and overwrites it;
        // the template only names it, so no key material is ever in CloudFormation.
        var parameterName = $"/{stack.StackName}/participant-token-signing-key";
        SigningKey = new SigningKeyLocation(
            parameterName, $"arn:{stack.Partition}:ssm:{stack.Region}:{stack.Account}:parameter{parameterName}", Key);

        var foundation = props.Foundation with { Targets = props.Foundation.Targets with { SigningKey = SigningKey } };
        var settings = new TokenSettings
        {
            // Retired keys are kept for the longest token lifetime.
            MaxDurationMinutes = props.Foundation.Settings.TokenMaxDurationMinutes,
            SigningKeyParameter = parameterName,
            SigningKmsKeyId = Key.KeyArn,
        };
        Function = new ServerlessFunction(
            this, "KeyRotationFunction", new ServerlessFunctionProps(BackendFunctions.KeyRotation, foundation, settings.Variables()));

        var logs = new LogGroup(
            this, "ProviderLogs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH, RemovalPolicy = RemovalPolicy.DESTROY });
        var providerRole = new Role(this, "ProviderRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = "CDK custom-resource framework for the key-rotation function: invoke it, write its own logs",
        });
        providerRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [logs.LogGroupArn],
        }));
        var provider = new Provider(this, "Provider", new ProviderProps
        {
            OnEventHandler = Function.Function,
            Role = providerRole,
            LogGroup = logs,
        });
        Keys = new CustomResource(this, "Keys", new CustomResourceProps
        {
            ServiceToken = provider.ServiceToken,
            ResourceType = "Custom::ParticipantTokenSigningKeys",

            // A changed parameter re-runs rotation (Update) on deploy.
            Properties = new Dictionary<string, object> { ["ParameterName"] = parameterName },
        });

        DeadLetterQueue = DeadLetterQueues.Create(this, "DeadLetterQueue");
        Schedule = ScheduledRuns.Create(this, Function, $"Runs the {Function.Handler} function (rotates when due)", DeadLetterQueue);
    }
}
