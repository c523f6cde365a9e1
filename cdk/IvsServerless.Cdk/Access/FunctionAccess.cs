using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using IvsServerless.Cdk.Constructs;
using IvsServerless.Deployment.Access;

namespace IvsServerless.Cdk.Access;

/// <summary>The participant-token signing key: its SSM SecureString and the KMS key that encrypts it.</summary>
public sealed record SigningKeyLocation(string ParameterName, string ParameterArn, IKey Key);

/// <summary>What the contract's grants name, in this stack: the table, the IVS resources, the signing key if any.</summary>
/// <param name="LiveConnectionsArn">The live-updates WebSocket API's <c>POST @connections/*</c> (for the notifier).</param>
/// <param name="RecordingsBucketArn">The recordings bucket (for the API's playback and deletion).</param>
public sealed record GrantTargets(
    ITable Table, IvsResources Ivs, string? CompositionChannelArn, SigningKeyLocation? SigningKey, string? LiveConnectionsArn = null,
    string? RecordingsBucketArn = null);

/// <summary>
/// Least privilege, one function at a time: exactly the actions the contract declares for its code (see
/// <see cref="AwsAccess"/>), on this stack's resources. <c>Resource: "*"</c> only where AWS has no resource type.
/// </summary>
public static class FunctionAccess
{
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

        // tokens lists a stage's ingest configurations (filtered by stage ARN) to show and count them.
        ["ivs:ListIngestConfigurations"] = "IVS list actions have no resource type",
    };

    public static void Grant(Role role, AwsAccess access, GrantTargets targets)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var grant in access.Ivs)
        {
            Allow(role, grant.Sid, grant.Actions, [.. grant.Resources.SelectMany(r => Arns(r, role, targets))]);
        }

        if (access.Table is { } table)
        {
            var actions = table.Actions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            Allow(role, "Table", actions, [targets.Table.TableArn]);
            var indexReads = actions.Intersect(TableActions.IndexReads, StringComparer.Ordinal).ToArray();
            if (table.IndexQueries && indexReads.Length > 0)
            {
                Allow(role, "TableIndexes", indexReads, [targets.Table.TableArn + "/index/*"]);
            }
        }

        if (access.ManageLiveConnections)
        {
            Allow(role, "LiveConnections", [AwsAccess.ManageConnectionsAction], [targets.LiveConnectionsArn
                ?? throw new InvalidOperationException("The function posts to live connections, but no WebSocket API is given.")]);
        }

        if (access.Recordings is { } recordings)
        {
            var bucket = targets.RecordingsBucketArn
                ?? throw new InvalidOperationException("The function reads recordings, but the stack has no recordings bucket.");

            // The bucket holds recordings only (IVS writes each under its own prefix, stage id first), so its objects are the scope.
            Allow(role, "RecordingObjects", recordings.ObjectActions.Order(StringComparer.Ordinal), [bucket + "/*"]);
            if (recordings.List)
            {
                Allow(role, "RecordingList", [RecordingsGrant.ListBucket], [bucket]);
            }
        }

        if (access.SigningKey is { } signingKey)
        {
            var key = targets.SigningKey
                ?? throw new InvalidOperationException("The function reads the signing key, but the stack has none.");
            Allow(role, "SigningKeyParameter", signingKey.ParameterActions, [key.ParameterArn]);
            var stack = Stack.Of(role);
            role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "SigningKeyEncryption",
                Actions = [.. signingKey.KmsActions],
                Resources = [key.Key.KeyArn],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"ssm.{stack.Region}.{stack.UrlSuffix}" },
                },
            }));
        }
    }

    private static void Allow(Role role, string sid, IEnumerable<string> actions, string[] resources) =>
        role.AddToPrincipalPolicy(
            new PolicyStatement(new PolicyStatementProps { Sid = sid, Actions = [.. actions], Resources = resources }));

    /// <summary>The ARNs a contract resource stands for here; none for an optional resource the deployment lacks.</summary>
    private static IEnumerable<string> Arns(IvsResource resource, Role role, GrantTargets targets)
    {
        var stack = Stack.Of(role);
        return resource switch
        {
            IvsResource.Stages => [IvsArns.Stages(stack)],
            IvsResource.Compositions => [IvsArns.Compositions(stack)],
            IvsResource.PublicKeys => [IvsArns.PublicKeys(stack)],
            IvsResource.IngestConfigurations => [IvsArns.IngestConfigurations(stack)],
            IvsResource.EncoderConfiguration => [targets.Ivs.EncoderConfiguration.AttrArn],
            IvsResource.StorageConfiguration => [targets.Ivs.StorageConfiguration.AttrArn],
            IvsResource.CompositionChannel => targets.CompositionChannelArn is { } channel ? [channel] : [],
            IvsResource.Any => ["*"],
            _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "No ARN for this IVS resource."),
        };
    }
}
