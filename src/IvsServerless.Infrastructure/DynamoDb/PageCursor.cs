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
    /// <summary>Longer than any cursor this service issues (the API caps the query parameter at 2,048 too).</summary>
    public const int MaxLength = 2048;

    /// <summary>DynamoDB's own bound for a key attribute value (sort keys; partition keys are shorter still).</summary>
    private const int MaxKeyValueLength = 1024;

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

    /// <param name="isOwnKey">The listing's own check of the decoded key (e.g. the table key belongs to the same stage).</param>
    public static Dictionary<string, AttributeValue>? Decode(string? cursor, IReadOnlyCollection<string> keyAttributes,
        string partitionAttribute, string partitionValue, Func<IReadOnlyDictionary<string, string>, bool>? isOwnKey = null)
    {
        if (cursor is null)
        {
            return null;
        }

        if (cursor.Length is 0 or > MaxLength)
        {
            throw Invalid();
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

        if (key.Count != keyAttributes.Count || !keyAttributes.All(key.ContainsKey) || key[partitionAttribute].S != partitionValue
            || key.Values.Any(v => v.S.Length is 0 or > MaxKeyValueLength)
            || (isOwnKey is not null && !isOwnKey(key.ToDictionary(p => p.Key, p => p.Value.S, StringComparer.Ordinal))))
        {
            throw Invalid();
        }

        return key;
    }

    /// <summary>
    /// DynamoDB's answer to a start key it cannot use (one that passed the checks above but names no position it
    /// accepts) is a ValidationException; with a cursor given, that is the cursor's fault, not the service's.
    /// </summary>
    public static async Task<T> QueryAsync<T>(string? cursor, Func<Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            return await query();
        }
        catch (Amazon.DynamoDBv2.AmazonDynamoDBException e) when (cursor is not null && e.ErrorCode == "ValidationException")
        {
            throw Invalid();
        }
    }

    private static InvalidCursorException Invalid() => new("The cursor is not valid for this listing.");
}
