namespace IvsServerless.Deployment.Access;

/// <summary>IVS resources a grant names; the CDK stack turns each into this deployment's ARN (pattern).</summary>
public enum IvsResource
{
    /// <summary><c>stage/*</c> in the stack's account and region.</summary>
    Stages,

    /// <summary><c>composition/*</c>.</summary>
    Compositions,

    /// <summary><c>public-key/*</c>.</summary>
    PublicKeys,

    /// <summary><c>ingest-configuration/*</c>.</summary>
    IngestConfigurations,

    /// <summary>The encoder configuration the stack creates for compositions.</summary>
    EncoderConfiguration,

    /// <summary>The storage configuration for composition recordings, when the deployment has one (otherwise nothing).</summary>
    StorageConfiguration,

    /// <summary>The IVS channel compositions broadcast to, when the deployment has one (otherwise nothing).</summary>
    CompositionChannel,

    /// <summary><c>*</c>: only for actions AWS offers no resource-level permission for (the IVS list actions).</summary>
    Any,
}

/// <summary>IVS actions one function's code calls, on which resources; <paramref name="Sid"/> names the policy statement.</summary>
public sealed record IvsGrant(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<IvsResource> Resources);

/// <summary>DynamoDB actions on the one table; its queries and scans on its indexes too when <paramref name="IndexQueries"/>.</summary>
public sealed record TableGrant(IReadOnlyList<string> Actions, bool IndexQueries = false);

/// <summary>
/// The participant-token signing key: actions on its SSM SecureString and on the KMS key that encrypts it (the KMS
/// actions only through SSM).
/// </summary>
public sealed record SigningKeyGrant(IReadOnlyList<string> ParameterActions, IReadOnlyList<string> KmsActions)
{
    public static SigningKeyGrant Read { get; } = new(["ssm:GetParameter"], ["kms:Decrypt"]);

    public static SigningKeyGrant Rotate { get; } = new(
        ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"], ["kms:Decrypt", "kms:Encrypt"]);
}

/// <summary>
/// The recordings bucket (the one the stack creates for IVS to record into, and nothing else): object actions on its objects,
/// and <c>s3:ListBucket</c> on the bucket when <paramref name="List"/>.
/// </summary>
public sealed record RecordingsGrant(IReadOnlyList<string> ObjectActions, bool List)
{
    public const string ListBucket = "s3:ListBucket";
}

/// <summary>Everything a function's code calls in AWS besides its own logs and traces: the whole of its role.</summary>
public sealed record AwsAccess
{
    public static AwsAccess None { get; } = new();

    public IReadOnlyList<IvsGrant> Ivs { get; init; } = [];

    public TableGrant? Table { get; init; }

    public SigningKeyGrant? SigningKey { get; init; }

    public RecordingsGrant? Recordings { get; init; }

    /// <summary><c>execute-api:ManageConnections</c> on the live-updates WebSocket API's <c>@connections</c> only.</summary>
    public bool ManageLiveConnections { get; init; }

    /// <summary>Every action named, for reviews and tests.</summary>
    public IEnumerable<string> Actions =>
        Ivs.SelectMany(g => g.Actions)
            .Concat(Table?.Actions ?? [])
            .Concat(SigningKey?.ParameterActions ?? [])
            .Concat(SigningKey?.KmsActions ?? [])
            .Concat(Recordings?.ObjectActions ?? [])
            .Concat(Recordings is { List: true } ? [RecordingsGrant.ListBucket] : [])
            .Concat(ManageLiveConnections ? [ManageConnectionsAction] : []);

    public const string ManageConnectionsAction = "execute-api:ManageConnections";
}

/// <summary>DynamoDB action names, so a grant reads like the store's calls.</summary>
public static class TableActions
{
    public const string GetItem = "dynamodb:GetItem";
    public const string PutItem = "dynamodb:PutItem";
    public const string Query = "dynamodb:Query";
    public const string UpdateItem = "dynamodb:UpdateItem";
    public const string DeleteItem = "dynamodb:DeleteItem";
    public const string Scan = "dynamodb:Scan";
    public const string BatchGetItem = "dynamodb:BatchGetItem";
    public const string BatchWriteItem = "dynamodb:BatchWriteItem";

    /// <summary>The actions that read an index; the only ones a grant with index reads extends to the indexes.</summary>
    public static IReadOnlyList<string> IndexReads { get; } = [Query, Scan];
}
