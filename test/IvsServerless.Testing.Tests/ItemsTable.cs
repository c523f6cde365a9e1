using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Testing.Tests;

/// <summary>The single-table shape the product uses: PK/SK plus a GSI on GSI1PK/GSI1SK.</summary>
public sealed class ItemsTable : DynamoDbTableFixture
{
    public const string Index = "GSI1";

    protected override string TablePrefix => "items";

    protected override CreateTableRequest DefineTable(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new("PK", ScalarAttributeType.S),
            new("SK", ScalarAttributeType.S),
            new("GSI1PK", ScalarAttributeType.S),
            new("GSI1SK", ScalarAttributeType.S),
        ],
        KeySchema = [new("PK", KeyType.HASH), new("SK", KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            new()
            {
                IndexName = Index,
                KeySchema = [new("GSI1PK", KeyType.HASH), new("GSI1SK", KeyType.RANGE)],
                Projection = new() { ProjectionType = ProjectionType.ALL },
            },
        ],
    };
}
