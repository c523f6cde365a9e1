using Amazon.DynamoDBv2.Model;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Testing;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>One table per test class, with the production definition, on the shared DynamoDB Local.</summary>
public sealed class ItemsTable : DynamoDbTableFixture
{
    protected override string TablePrefix => "items";

    protected override CreateTableRequest DefineTable(string tableName) => TableLayout.Definition(tableName);

    public DynamoDbOptions Options => new() { TableName = TableName };
}
