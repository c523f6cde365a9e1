using Amazon.DynamoDBv2.Model;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Testing;

namespace IvsServerless.Reconciler.Tests;

/// <summary>One table per test class, with the production definition, on the shared DynamoDB Local engine.</summary>
public sealed class ItemsTable : DynamoDbTableFixture
{
    protected override string TablePrefix => "reconciler";

    protected override CreateTableRequest DefineTable(string tableName) => TableLayout.Definition(tableName);

    public DynamoDbOptions Options => new() { TableName = TableName };
}
