using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Infrastructure.Live;

/// <summary>How an item changed (a DynamoDB Streams <c>eventName</c>).</summary>
public enum ChangeKind
{
    Insert,
    Modify,
    Remove,
}

/// <summary>
/// One change of one item of the table, as a DynamoDB stream record with <c>NEW_AND_OLD_IMAGES</c> carries it:
/// the item before (null for an insert) and after (null for a remove).
/// </summary>
public sealed record TableChange(
    ChangeKind Kind,
    IReadOnlyDictionary<string, AttributeValue>? OldImage,
    IReadOnlyDictionary<string, AttributeValue>? NewImage)
{
    /// <summary>The image that names the item (the new one, or the old one of a removed item).</summary>
    public IReadOnlyDictionary<string, AttributeValue> Image => NewImage ?? OldImage ?? new Dictionary<string, AttributeValue>();

    public string PartitionKey => Image.TryGetValue("PK", out var pk) ? pk.S ?? "" : "";

    public string SortKey => Image.TryGetValue("SK", out var sk) ? sk.S ?? "" : "";

    public static ChangeKind KindOf(string eventName) => eventName switch
    {
        "INSERT" => ChangeKind.Insert,
        "MODIFY" => ChangeKind.Modify,
        "REMOVE" => ChangeKind.Remove,
        _ => throw new ArgumentException($"Unknown stream event name '{eventName}'.", nameof(eventName)),
    };
}
