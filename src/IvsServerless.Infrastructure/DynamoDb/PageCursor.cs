using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Paging;

namespace IvsServerless.Infrastructure.DynamoDb;

/// <summary>
/// Opaque cursors over a query's LastEvaluatedKey. A cursor coming back is checked to name exactly the
/// expected key attributes and the very partition being queried, so editing one can never reach another
/// user's partition — it can only move within the caller's own results.
/// </summary>
internal static class PageCursor
{
    public static string? Encode(Dictionary<string, AttributeValue>? lastEvaluatedKey)
    {
        if (lastEvaluatedKey is null || lastEvaluatedKey.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in lastEvaluatedKey.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteString(name, value.S);
            }

            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    public static Dictionary<string, AttributeValue>? Decode(string? cursor, IReadOnlyCollection<string> keyAttributes,
        string partitionAttribute, string partitionValue)
    {
        if (cursor is null)
        {
            return null;
        }

        Dictionary<string, AttributeValue> key = new(StringComparer.Ordinal);
        try
        {
            var bytes = Base64Url.DecodeFromChars(cursor);
            using var document = JsonDocument.Parse(bytes);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                key[property.Name] = new AttributeValue { S = property.Value.GetString() ?? throw Invalid() };
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or DecoderFallbackException)
        {
            throw Invalid();
        }

        if (key.Count != keyAttributes.Count || !keyAttributes.All(key.ContainsKey) || key[partitionAttribute].S != partitionValue)
        {
            throw Invalid();
        }

        return key;
    }

    private static InvalidCursorException Invalid() => new("The cursor is not valid for this listing.");
}
