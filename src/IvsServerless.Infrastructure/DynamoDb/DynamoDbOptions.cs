using System.Text.RegularExpressions;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>Where the store writes (configuration section <c>DynamoDb</c>; env <c>DynamoDb__TableName</c> in Lambda).</summary>
public sealed partial class DynamoDbOptions
{
    public string TableName { get; set; } = "";

    public void Validate()
    {
        // Configuration binding can leave null behind despite the initializer.
        if (TableName is null || !TableNamePattern().IsMatch(TableName))
        {
            throw new InvalidOperationException(
                $"DynamoDb:TableName must be 3..255 characters of [a-zA-Z0-9_.-], got '{TableName}'.");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,255}$")]
    private static partial Regex TableNamePattern();
}
