using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.CustomResources;
using Constructs;
using LogGroupProps = Amazon.CDK.AWS.Logs.LogGroupProps;
using IvsServerless.Cdk.Access;

namespace IvsServerless.Cdk.Constructs;

/// <param name="Rotation">The <c>key-rotation</c> function (the stack creates it; this construct grants and triggers it).</param>
/// <param name="ParameterName">The SSM SecureString that will hold the current private key. The rotation function
/// creates and overwrites it; the template only names it, so no key material is ever in CloudFormation.</param>
public sealed record TokenSigningProps(ServerlessFunction Rotation, string ParameterName, Duration RotationCheckInterval);

/// <summary>
/// Self-signed participant tokens (context <c>tokenMode=self-signed</c>): a KMS key that encrypts the private key
/// in SSM, and the <c>key-rotation</c> function run on every deploy (custom resource: Create/Update rotate when due,
/// Delete removes this deployment's IVS public keys and the parameter) and on a schedule.
/// </summary>
public sealed class TokenSigning : Construct
{
    public Key Key { get; }

    public string ParameterName { get; }

    public string ParameterArn { get; }

    public Rule Schedule { get; }

    public Queue DeadLetterQueue { get; }

    public CustomResource Keys { get; }

    public TokenSigning(Construct scope, string id, TokenSigningProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stack = Stack.Of(this);
        ParameterName = props.ParameterName;
        ParameterArn = $"arn:{stack.Partition}:ssm:{stack.Region}:{stack.Account}:parameter{props.ParameterName}";

        // Only encrypts one SSM parameter that teardown deletes: nothing to keep it for once the stack is gone.
        Key = new Key(this, "Key", new KeyProps
        {
            Description = "Encrypts the participant-token signing key (SSM SecureString)",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.DESTROY,
            PendingWindow = Duration.Days(7),
        });

        props.Rotation.Function.AddEnvironment("TOKEN_SIGNING_KMS_KEY_ID", Key.KeyArn);

        // Rotation: the IVS public keys (ListPublicKeys has no resource-level permission, see StarResourceActions),
        // the parameter, and KMS only through SSM.
        var role = props.Rotation.Role;
        FunctionAccess.GrantIvs(role, new IvsGrant(["ivs:DeletePublicKey", "ivs:ImportPublicKey", "ivs:TagResource"], [IvsArns.PublicKeys(stack)]), "IvsPublicKeys");
        FunctionAccess.GrantIvs(role, new IvsGrant(["ivs:ListPublicKeys"], ["*"]), "IvsListPublicKeys");
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SigningKeyParameter",
            Actions = ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"],
            Resources = [ParameterArn],
        }));
        GrantKms(role, ["kms:Decrypt", "kms:Encrypt"]);

        var logs = new LogGroup(this, "ProviderLogs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH, RemovalPolicy = RemovalPolicy.DESTROY });
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
            OnEventHandler = props.Rotation.Function,
            Role = providerRole,
            LogGroup = logs,
        });
        Keys = new CustomResource(this, "Keys", new CustomResourceProps
        {
            ServiceToken = provider.ServiceToken,
            ResourceType = "Custom::ParticipantTokenSigningKeys",

            // A changed parameter re-runs rotation (Update) on deploy.
            Properties = new Dictionary<string, object> { ["ParameterName"] = props.ParameterName },
        });

        DeadLetterQueue = DeadLetterQueues.Create(this, "DeadLetterQueue");
        Schedule = ScheduledRuns.Create(this, props.Rotation, props.RotationCheckInterval,
            $"Runs the {props.Rotation.Handler} function (rotates when due)", DeadLetterQueue);
    }

    /// <summary>Lets a function read the signing key: the parameter, decrypted through SSM.</summary>
    public void GrantRead(Role role)
    {
        ArgumentNullException.ThrowIfNull(role);
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SigningKeyParameter",
            Actions = ["ssm:GetParameter"],
            Resources = [ParameterArn],
        }));
        GrantKms(role, ["kms:Decrypt"]);
    }

    private void GrantKms(Role role, string[] actions)
    {
        var stack = Stack.Of(this);
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SigningKeyEncryption",
            Actions = actions,
            Resources = [Key.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"ssm.{stack.Region}.{stack.UrlSuffix}" },
            },
        }));
    }
}
