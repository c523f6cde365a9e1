using System.Text;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>How a field group's guard attribute must compare with the incoming value for the write to win.</summary>
internal enum GuardKind
{
    /// <summary>Stored value &lt; incoming: stamps (newest wins) and max times.</summary>
    StoredLess,

    /// <summary>Stored value &gt; incoming: min times.</summary>
    StoredGreater,

    /// <summary>Only when the guard attribute is absent ("set if absent").</summary>
    Absent,
}

/// <summary>
/// One field group of a projection item (see Core/Projection/README.md): the attributes it sets or removes, and the
/// guard that decides whether this write is newer than what is stored. A guard that fails once fails for ever, because
/// stored guards only move forward.
/// </summary>
internal sealed record FieldGroup(
    string GuardAttribute,
    GuardKind Kind,
    string GuardValue,
    IReadOnlyList<KeyValuePair<string, AttributeValue>> Sets,
    IReadOnlyList<string>? Removes = null)
{
    public static FieldGroup Stamped(string group, string stamp, params (string Name, AttributeValue Value)[] values) =>
        new(
            group + "Stamp", GuardKind.StoredLess, stamp, [
            .. values.Select(v => KeyValuePair.Create(v.Name, v.Value)), new(group + "Stamp", new AttributeValue { S = stamp })]);

    public static FieldGroup Min(string attribute, string value, params (string Name, AttributeValue Value)[] alsoSet) =>
        new(
            attribute, GuardKind.StoredGreater, value, [
            new(attribute, new AttributeValue { S = value }), .. alsoSet.Select(v => KeyValuePair.Create(v.Name, v.Value))]);

    public static FieldGroup Max(string attribute, string value) =>
        new(attribute, GuardKind.StoredLess, value, [new(attribute, new AttributeValue { S = value })]);

    public static FieldGroup IfAbsent(string attribute, AttributeValue value, params (string Name, AttributeValue Value)[] alsoSet) =>
        new(attribute, GuardKind.Absent, "", [new(attribute, value), .. alsoSet.Select(v => KeyValuePair.Create(v.Name, v.Value))]);

    /// <summary>Whether the write would pass its condition against <paramref name="item"/> (empty = no item).</summary>
    public bool WinsAgainst(IReadOnlyDictionary<string, AttributeValue> item)
    {
        if (!item.TryGetValue(GuardAttribute, out var stored) || stored.S is null)
        {
            return true;
        }

        return Kind switch
        {
            GuardKind.StoredLess => CompareUtf8(stored.S, GuardValue) < 0,
            GuardKind.StoredGreater => CompareUtf8(stored.S, GuardValue) > 0,
            _ => false,
        };
    }

    // DynamoDB orders strings by UTF-8 bytes (code points); UTF-16 ordinal order differs beyond U+FFFF.
    private static int CompareUtf8(string left, string right) =>
        Encoding.UTF8.GetBytes(left).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right));
}
