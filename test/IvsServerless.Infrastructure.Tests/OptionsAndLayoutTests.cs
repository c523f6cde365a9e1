using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests;

public sealed class OptionsAndLayoutTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("bad/char")]
    public void Invalid_table_names_fail_validation(string name) =>
        Assert.Throws<InvalidOperationException>(new DynamoDbOptions { TableName = name }.Validate);

    [Fact]
    public void A_valid_table_name_passes() => new DynamoDbOptions { TableName = "IvsServerless-Items_1.prod" }.Validate();

    [Fact]
    public async Task The_table_definition_is_what_DynamoDB_creates()
    {
        var description = (await table.Client.DescribeTableAsync(table.TableName)).Table;
        Assert.Equal(["PK", "SK"], description.KeySchema.Select(k => k.AttributeName));
        Assert.Equal(["GSI1", "GSI2"], description.GlobalSecondaryIndexes.Select(i => i.IndexName).Order());
        Assert.All(description.GlobalSecondaryIndexes, index => Assert.Equal("ALL", index.Projection.ProjectionType.Value));
    }
}
