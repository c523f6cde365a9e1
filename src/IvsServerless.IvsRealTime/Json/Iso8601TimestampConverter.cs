using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace IvsServerless.IvsRealTime;

/// <summary>
/// IVS timestamps are RFC 3339 strings that always carry a zone. The default converter would read a zoneless
/// value as local time and rejects a lower-case 't'/'z' or more than 7 fractional digits, all of which the AWS
/// SDKs handle the other way round; this converter follows the SDKs.
/// </summary>
internal sealed partial class Iso8601TimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("IVS timestamps must be ISO-8601 strings.");
        }

        var text = reader.GetString()!;
        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            throw new JsonException($"'{text}' is not an ISO-8601 timestamp with a zone.");
        }

        // .NET keeps 100 ns ticks, so digits past the seventh are dropped (the JS SDK truncates to milliseconds).
        var fraction = match.Groups["fraction"].Value;
        var normalized = string.Concat(
            match.Groups["datetime"].Value, "T", match.Groups["time"].Value,
            fraction.Length > 0 ? "." + fraction[..Math.Min(7, fraction.Length)] : "",
            match.Groups["zone"].Value.ToUpperInvariant());
        return DateTimeOffset.Parse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    [
        GeneratedRegex(
        @"^(?<datetime>\d{4}-\d{2}-\d{2})[tT](?<time>\d{2}:\d{2}:\d{2})(\.(?<fraction>\d+))?(?<zone>[zZ]|[+-]\d{2}:\d{2})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
