using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests;

public sealed class OptionsAndLayoutTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("bad/char")]
    [InlineData("ünicode")]
    public void Invalid_table_names_fail_validation(string? name) =>
        Assert.Throws<InvalidOperationException>(new DynamoDbOptions { TableName = name! }.Validate);

    [Fact]
    public void Names_longer_than_255_fail_and_255_passes()
    {
        new DynamoDbOptions { TableName = new string('a', 255) }.Validate();
        Assert.Throws<InvalidOperationException>(new DynamoDbOptions { TableName = new string('a', 256) }.Validate);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("IvsServerless-Items_1.prod")]
    public void Valid_table_names_pass(string name) => new DynamoDbOptions { TableName = name }.Validate();

    [Fact]
    public async Task The_table_definition_is_what_DynamoDB_creates()
    {
        var definition = TableLayout.Definition("unused");
        var description = (await table.Client.DescribeTableAsync(table.TableName)).Table;

        Assert.Equal(Keys(definition.KeySchema), Keys(description.KeySchema));
        Assert.Equal(
            definition.AttributeDefinitions.Select(a => (a.AttributeName, a.AttributeType.Value)).Order(),
            description.AttributeDefinitions.Select(a => (a.AttributeName, a.AttributeType.Value)).Order());
        Assert.Equal("PAY_PER_REQUEST", description.BillingModeSummary?.BillingMode?.Value ?? definition.BillingMode.Value);
        Assert.Equal(
            definition.GlobalSecondaryIndexes.Select(i => (i.IndexName, Keys(i.KeySchema), i.Projection.ProjectionType.Value)).OrderBy(
                i => i.IndexName),
            description.GlobalSecondaryIndexes.Select(i => (i.IndexName, Keys(i.KeySchema), i.Projection.ProjectionType.Value)).OrderBy(
                i => i.IndexName));
    }

    private static string Keys(IEnumerable<Amazon.DynamoDBv2.Model.KeySchemaElement> schema) =>
        string.Join(",", schema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
}
