using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// The single-table design, as code (see README.md beside this file). The table definition here is what
/// tests and the local host create, and what the CDK stack must declare.
/// </summary>
public static class TableLayout
{
    public const string PartitionKey = "PK";
    public const string SortKey = "SK";
    public const string OwnerIndex = "GSI1";
    public const string OwnerIndexPartitionKey = "GSI1PK";
    public const string OwnerIndexSortKey = "GSI1SK";
    public const string LiveIndex = "GSI2";
    public const string LiveIndexPartitionKey = "GSI2PK";
    public const string LiveIndexSortKey = "GSI2SK";

    /// <summary>Epoch seconds; items carrying it are removed by DynamoDB TTL after that time.</summary>
    public const string ExpiresAt = "expiresAt";

    /// <summary>The one partition of the live-stages index (see README.md for when to shard it).</summary>
    public const string LivePartition = "LIVE";

    public static string StagePartition(string stageId) => "STAGE#" + stageId;

    public const string StageSortKey = "STAGE";

    public static string OwnerPartition(string ownerId) => "OWNER#" + ownerId;

    public static string CompositionSortKey(string compositionId) => "COMPOSITION#" + compositionId;

    public const string CompositionSortKeyPrefix = "COMPOSITION#";

    /// <summary>A stage session (projection), under its stage's partition.</summary>
    public static string SessionSortKey(string sessionId) => "SESSION#" + sessionId;

    /// <summary>One participant of one session (projection): sorts right after its session item.</summary>
    public static string ParticipantSortKey(string sessionId, string participantId) => $"SESSION#{sessionId}#PARTICIPANT#{participantId}";

    /// <summary>Everything recorded under one session (its item, participants, event log): begins with this.</summary>
    public static string SessionSortKeyPrefix(string sessionId) => "SESSION#" + sessionId + "#";

    /// <summary>One applied event in a session's log, in stamp order (<c>EventStamp.ToSortKey()</c>).</summary>
    public static string SessionEventSortKey(string sessionId, string stampSortKey) => $"SESSION#{sessionId}#EVENT#{stampSortKey}";

    /// <summary>GSI1 is overloaded: besides owners' stages it lists each stage's sessions, newest first.</summary>
    public static string StageSessionsPartition(string stageId) => "SESSIONS#" + stageId;

    /// <summary>Rejected events, one partition per UTC day received (inspect with a Query per day).</summary>
    public static string RejectedPartition(DateTimeOffset receivedAt) =>
        "REJECTED#" + receivedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string RejectedSortKey(string key) => "EVENT#" + key;

    /// <summary>The reconciler's own item (checkpoint and lease).</summary>
    public const string ReconcilerPartition = "RECONCILER";

    public const string ReconcilerCheckpointSortKey = "CHECKPOINT";

    public static string IdempotencySortKey(string key) => "IDEMPOTENCY#" + key;

    /// <summary>One per-user ledger of counted claims (stages owned, compositions running, tokens this minute).</summary>
    public static string QuotaPartition(string ledger) => "QUOTA#" + ledger;

    public const string QuotaSortKey = "QUOTA";

    public static CreateTableRequest Definition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(PartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(SortKey, ScalarAttributeType.S),
            new AttributeDefinition(OwnerIndexPartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(OwnerIndexSortKey, ScalarAttributeType.S),
            new AttributeDefinition(LiveIndexPartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(LiveIndexSortKey, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH), new KeySchemaElement(SortKey, KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            Index(OwnerIndex, OwnerIndexPartitionKey, OwnerIndexSortKey),
            Index(LiveIndex, LiveIndexPartitionKey, LiveIndexSortKey),
        ],
    };

    private static GlobalSecondaryIndex Index(string name, string partitionKey, string sortKey) => new()
    {
        IndexName = name,
        KeySchema = [new KeySchemaElement(partitionKey, KeyType.HASH), new KeySchemaElement(sortKey, KeyType.RANGE)],
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };
}
