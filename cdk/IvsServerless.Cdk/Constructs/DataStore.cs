using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;
using IvsServerless.Infrastructure.DynamoDb;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;
using Dynamo = Amazon.DynamoDBv2;

namespace IvsServerless.Cdk.Constructs;

public sealed record DataStoreProps(RemovalPolicy RemovalPolicy);

/// <summary>
/// The one table, declared from <see cref="TableLayout.Definition"/> (the definition tests and the local host
/// create), so keys and indexes cannot drift: on-demand, point-in-time recovery, TTL on <see cref="TableLayout.ExpiresAt"/>.
/// </summary>
public sealed class DataStore : Construct
{
    public Table Table { get; }

    public DataStore(Construct scope, string id, DataStoreProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var definition = TableLayout.Definition("unused");
        var types = definition.AttributeDefinitions.ToDictionary(a => a.AttributeName, a => a.AttributeType, StringComparer.Ordinal);

        Attribute Key(List<Dynamo.Model.KeySchemaElement> schema, string keyType)
        {
            var name = schema.Single(k => k.KeyType == keyType).AttributeName;
            return new Attribute { Name = name, Type = TypeOf(types[name]) };
        }

        Table = new Table(this, "Table", new TableProps
        {
            PartitionKey = Key(definition.KeySchema, Dynamo.KeyType.HASH),
            SortKey = Key(definition.KeySchema, Dynamo.KeyType.RANGE),
            BillingMode = definition.BillingMode == Dynamo.BillingMode.PAY_PER_REQUEST
                ? BillingMode.PAY_PER_REQUEST
                : throw new InvalidOperationException("The table layout must be on-demand."),
            PointInTimeRecovery = true,
            TimeToLiveAttribute = TableLayout.ExpiresAt,
            // Live updates: the notifier reads every change with both images (Infrastructure/Live/LiveTable.cs).
            Stream = StreamViewType.NEW_AND_OLD_IMAGES,
            Encryption = TableEncryption.AWS_MANAGED,
            RemovalPolicy = props.RemovalPolicy,
        });

        foreach (var index in definition.GlobalSecondaryIndexes)
        {
            if (index.Projection.ProjectionType != Dynamo.ProjectionType.ALL)
            {
                throw new InvalidOperationException($"Index {index.IndexName}: only ALL projections are declared here.");
            }

            Table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
            {
                IndexName = index.IndexName,
                PartitionKey = Key(index.KeySchema, Dynamo.KeyType.HASH),
                SortKey = Key(index.KeySchema, Dynamo.KeyType.RANGE),
                ProjectionType = ProjectionType.ALL,
            });
        }
    }

    private static AttributeType TypeOf(Dynamo.ScalarAttributeType type) =>
        type == Dynamo.ScalarAttributeType.S ? AttributeType.STRING
        : type == Dynamo.ScalarAttributeType.N ? AttributeType.NUMBER
        : type == Dynamo.ScalarAttributeType.B ? AttributeType.BINARY
        : throw new InvalidOperationException($"Unknown attribute type {type}.");
}
