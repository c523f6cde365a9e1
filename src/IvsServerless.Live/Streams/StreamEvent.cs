using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Infrastructure.Live;

namespace IvsServerless.Live.Streams;

/// <summary>One record of a DynamoDB Streams event as Lambda delivers it (only what the notifier reads).</summary>
public sealed record StreamEventRecord(string SequenceNumber, TableChange Change);

/// <summary>
/// The DynamoDB Streams event Lambda's event source mapping sends (<c>{"Records":[{"eventName", "dynamodb": {"Keys",
/// "NewImage", "OldImage", "SequenceNumber", ...}}]}</c>), read without reflection (the function is Native AOT), and the
/// partial-batch response (<c>{"batchItemFailures":[{"itemIdentifier": sequence number}]}</c>).
/// </summary>
public static class StreamEvent
{
    public static IReadOnlyList<StreamEventRecord> Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var document = JsonDocument.ParseValue(ref reader);
        var records = new List<StreamEventRecord>();
        if (!document.RootElement.TryGetProperty("Records", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Not a DynamoDB Streams event: no Records array.");
        }

        foreach (var record in list.EnumerateArray())
        {
            var data = record.GetProperty("dynamodb");
            records.Add(new StreamEventRecord(
                data.GetProperty("SequenceNumber").GetString()!,
                new TableChange(
                    TableChange.KindOf(record.GetProperty("eventName").GetString()!),
                    data.TryGetProperty("OldImage", out var old) ? Item(old) : null,
                    data.TryGetProperty("NewImage", out var now) ? Item(now) : null)));
        }

        return records;
    }

    /// <summary>The partial batch response: the first record that failed (Lambda retries from it on).</summary>
    public static byte[] BatchResponse(string? firstFailedSequenceNumber)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("batchItemFailures");
            if (firstFailedSequenceNumber is not null)
            {
                json.WriteStartObject();
                json.WriteString("itemIdentifier", firstFailedSequenceNumber);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The failed record named by a batch response, or null when every record succeeded.</summary>
    public static string? FirstFailure(ReadOnlySpan<byte> response)
    {
        var reader = new Utf8JsonReader(response);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("batchItemFailures", out var failures)
            && failures.ValueKind == JsonValueKind.Array && failures.GetArrayLength() > 0
            ? failures[0].GetProperty("itemIdentifier").GetString()
            : null;
    }

    public static Dictionary<string, AttributeValue> Item(JsonElement image)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var attribute in image.EnumerateObject())
        {
            item[attribute.Name] = Value(attribute.Value);
        }

        return item;
    }

    /// <summary>One attribute value in DynamoDB's JSON (<c>{"S": "x"}</c>, <c>{"SS": [...]}</c>, ...).</summary>
    public static AttributeValue Value(JsonElement value)
    {
        var member = value.EnumerateObject().FirstOrDefault();
        var v = member.Value;
        return member.Name switch
        {
            "S" => new AttributeValue { S = v.GetString() },
            "N" => new AttributeValue { N = v.GetString() },
            "B" => new AttributeValue { B = new MemoryStream(v.GetBytesFromBase64()) },
            "BOOL" => new AttributeValue { BOOL = v.GetBoolean() },
            "NULL" => new AttributeValue { NULL = true },
            "SS" => new AttributeValue { SS = [.. v.EnumerateArray().Select(e => e.GetString()!)] },
            "NS" => new AttributeValue { NS = [.. v.EnumerateArray().Select(e => e.GetString()!)] },
            "BS" => new AttributeValue { BS = [.. v.EnumerateArray().Select(e => new MemoryStream(e.GetBytesFromBase64()))] },
            "L" => new AttributeValue { L = [.. v.EnumerateArray().Select(Value)] },
            "M" => new AttributeValue { M = Item(v) },
            _ => throw new FormatException($"Unknown attribute value type '{member.Name}'."),
        };
    }

    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
