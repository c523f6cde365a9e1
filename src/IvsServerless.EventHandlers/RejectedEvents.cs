using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IvsServerless.Core.Projection;

namespace IvsServerless.EventHandlers;

/// <summary>Builds the inspection record of an event that cannot be applied, from whatever of it is readable.</summary>
public static class RejectedEvents
{
    private const int MaxKeyChars = 256;

    public static RejectedEvent From(ReadOnlySpan<byte> payload, string reason, DateTimeOffset receivedAt)
    {
        var (id, detailType) = ReadEnvelopeStrings(payload);
        // Redelivery repeats the bytes exactly; two different bad events may share an id (or have none).
        var key = Convert.ToHexStringLower(SHA256.HashData(payload));
        return new RejectedEvent(key, reason, Cut(id), Cut(detailType), RawText(payload), payload.Length, receivedAt);
    }

    /// <summary>The first characters of the event, decoded leniently (invalid UTF-8 becomes U+FFFD).</summary>
    private static string RawText(ReadOnlySpan<byte> payload)
    {
        var text = Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, RejectedEvent.MaxRawChars * 4)]);
        if (text.Length <= RejectedEvent.MaxRawChars)
        {
            return text;
        }

        // Never cut a surrogate pair in half: DynamoDB would refuse the invalid UTF-16.
        var length = char.IsHighSurrogate(text[RejectedEvent.MaxRawChars - 1]) ? RejectedEvent.MaxRawChars - 1 : RejectedEvent.MaxRawChars;
        return text[..length];
    }

    /// <summary>Top-level <c>id</c> and <c>detail-type</c> strings, if the bytes get that far as JSON.</summary>
    private static (string? Id, string? DetailType) ReadEnvelopeStrings(ReadOnlySpan<byte> payload)
    {
        string? id = null, detailType = null;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                var isDetailType = reader.ValueTextEquals("detail-type"u8);
                if (!reader.Read())
                {
                    break;
                }

                if (reader.TokenType == JsonTokenType.String && (isId || isDetailType))
                {
                    var value = reader.GetString();
                    (id, detailType) = isId ? (id ?? value, detailType) : (id, detailType ?? value);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Broken JSON: keep what was read before the break.
        }

        return (id, detailType);
    }

    private static string? Cut(string? value) => value is { Length: > MaxKeyChars } ? value[..MaxKeyChars] : value;
}
