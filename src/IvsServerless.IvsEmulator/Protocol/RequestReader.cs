using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IvsServerless.IvsEmulator.Protocol;

/// <summary>
/// Reads one JSON request object member by member, applying the service model's constraints.
/// A member of the wrong JSON type is a <c>SerializationException</c> at once (the request cannot be
/// deserialized); constraint failures are collected and reported together as one
/// <c>ValidationException</c> in the service's own message style, so that bad input changes nothing.
/// Unknown members are ignored, as restJson1 services do.
/// </summary>
public sealed class RequestReader
{
    private const int AttributesMaxBytes = 1024;
    private const int MaxTags = 50;

    private readonly JsonElement _element;
    private readonly string _path;
    private readonly List<string> _errors;

    private RequestReader(JsonElement element, string path, List<string> errors)
    {
        _element = element;
        _path = path;
        _errors = errors;
    }

    public static RequestReader Parse(ReadOnlyMemory<byte> body)
    {
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new RequestReader(JsonDocument.Parse("{}").RootElement, "", []);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            throw IvsException.Serialization("Request body is not valid JSON.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw IvsException.Serialization("Request body must be a JSON object.");
        }

        return new RequestReader(document.RootElement, "", []);
    }

    /// <summary>A reader over an empty object, for operations whose input is only in the path or query.</summary>
    public static RequestReader Empty() => Parse(ReadOnlyMemory<byte>.Empty);

    public bool Has(string name) => TryGet(name, out _);

    public string? String(string name, bool required = false, int min = 0, int max = int.MaxValue,
        Regex? pattern = null, string? patternText = null)
    {
        if (!TryGet(name, out var value))
        {
            RequireIf(required, name);
            return null;
        }

        var text = ExpectString(name, value);
        CheckString(PathOf(name), text, min, max, pattern, patternText);
        return text;
    }

    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue, bool required = false)
    {
        if (!TryGet(name, out var value))
        {
            RequireIf(required, name);
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw WrongType(name, "an integer");
        }

        if (number < min)
        {
            Fail(name, number.ToString(CultureInfo.InvariantCulture), $"Member must have value greater than or equal to {min}");
        }
        else if (number > max)
        {
            Fail(name, number.ToString(CultureInfo.InvariantCulture), $"Member must have value less than or equal to {max}");
        }

        return (int)Math.Clamp(number, int.MinValue, int.MaxValue);
    }

    public double? Number(string name, double min, double max)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(name, "a number");
        }

        var number = value.GetDouble();
        if (number < min || number > max || double.IsNaN(number))
        {
            Fail(name, number.ToString(CultureInfo.InvariantCulture),
                $"Member must have value between {min.ToString(CultureInfo.InvariantCulture)} and "
                    + $"{max.ToString(CultureInfo.InvariantCulture)}");
        }

        return number;
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "a boolean"),
        };
    }

    public string? Enum(string name, IReadOnlyList<string> values, bool required = false)
    {
        var text = String(name, required);
        if (text is not null && !values.Contains(text))
        {
            Fail(name, text, $"Member must satisfy enum value set: [{string.Join(", ", values)}]");
        }

        return text;
    }

    public List<string>? EnumList(string name, IReadOnlyList<string> values, int minItems = 0, int maxItems = int.MaxValue)
    {
        var items = StringList(name, minItems, maxItems);
        if (items is null)
        {
            return null;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (!values.Contains(items[i]))
            {
                _errors.Add(Describe($"{PathOf(name)}.{i}", items[i],
                    $"Member must satisfy enum value set: [{string.Join(", ", values)}]"));
            }
        }

        return items;
    }

    public List<string>? StringList(string name, int minItems = 0, int maxItems = int.MaxValue, bool required = false,
        int itemMin = 0, int itemMax = int.MaxValue, Regex? itemPattern = null, string? itemPatternText = null)
    {
        if (!TryGet(name, out var value))
        {
            RequireIf(required, name);
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "a list");
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemName = $"{name}.{index}";
            if (item.ValueKind != JsonValueKind.String)
            {
                throw WrongType(itemName, "a string");
            }

            var text = item.GetString()!;
            CheckString(PathOf(itemName), text, itemMin, itemMax, itemPattern, itemPatternText);
            items.Add(text);
            index++;
        }

        CheckCount(name, items.Count, minItems, maxItems);
        return items;
    }

    /// <summary>A tags map: at most 50 entries, keys 1..128 and values 0..256 characters.</summary>
    public Dictionary<string, string>? Tags(string name = "tags")
    {
        var map = Map(name);
        if (map is null)
        {
            return null;
        }

        if (map.Count > MaxTags)
        {
            Fail(name, "{…}", $"Member must have length less than or equal to {MaxTags}");
        }

        foreach (var (key, value) in map)
        {
            CheckString($"{PathOf(name)}.{key}#key", key, 1, 128, null, null);
            CheckString($"{PathOf(name)}.{key}", value, 0, 256, null, null);
        }

        return map;
    }

    /// <summary>An attributes map: documented limit of 1 KB in total over keys and values.</summary>
    public Dictionary<string, string>? Attributes(string name = "attributes")
    {
        var map = Map(name);
        if (map is not null && AttributesSize(map) > AttributesMaxBytes)
        {
            Fail(name, "{…}", $"Member must have total size (keys and values) less than or equal to {AttributesMaxBytes} bytes");
        }

        return map;
    }

    public static int AttributesSize(IReadOnlyDictionary<string, string> map) =>
        map.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value));

    public RequestReader? Object(string name, bool required = false)
    {
        if (!TryGet(name, out var value))
        {
            RequireIf(required, name);
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(name, "a structure");
        }

        return new RequestReader(value, PathOf(name), _errors);
    }

    public List<RequestReader>? ObjectList(string name, int minItems = 0, int maxItems = int.MaxValue, bool required = false)
    {
        if (!TryGet(name, out var value))
        {
            RequireIf(required, name);
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "a list");
        }

        var items = new List<RequestReader>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw WrongType($"{name}.{index}", "a structure");
            }

            items.Add(new RequestReader(item, $"{PathOf(name)}.{index}.member", _errors));
            index++;
        }

        CheckCount(name, items.Count, minItems, maxItems);
        return items;
    }

    /// <summary>Validates a string bound outside the body (a path label), with the same rules and messages as a member.</summary>
    public string? External(string name, string? value, bool required = false, int min = 0, int max = int.MaxValue,
        Regex? pattern = null, string? patternText = null)
    {
        if (value is null)
        {
            RequireIf(required, name);
            return null;
        }

        CheckString(PathOf(name), value, min, max, pattern, patternText);
        return value;
    }

    /// <summary>Validates a list bound outside the body (a repeated query parameter); an empty list counts as absent.</summary>
    public IReadOnlyList<string>? ExternalList(string name, IReadOnlyList<string> values, bool required = false, int minItems = 0,
        int maxItems = int.MaxValue, int itemMin = 0, int itemMax = int.MaxValue)
    {
        if (values.Count == 0)
        {
            RequireIf(required, name);
            return null;
        }

        for (var i = 0; i < values.Count; i++)
        {
            CheckString(PathOf($"{name}.{i}"), values[i], itemMin, itemMax, null, null);
        }

        CheckCount(name, values.Count, minItems, maxItems);
        return values;
    }

    /// <summary>Records a rule the model states only in prose (cross-field rules, even sizes, …).</summary>
    public void Fail(string name, string? value, string constraint) =>
        _errors.Add(Describe(PathOf(name), value, constraint));

    public bool HasErrors => _errors.Count > 0;

    public void ThrowIfInvalid()
    {
        if (_errors.Count == 0)
        {
            return;
        }

        var noun = _errors.Count == 1 ? "error" : "errors";
        throw IvsException.Validation($"{_errors.Count} validation {noun} detected: {string.Join("; ", _errors)}");
    }

    private bool TryGet(string name, out JsonElement value) =>
        _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private void RequireIf(bool required, string name)
    {
        if (required)
        {
            _errors.Add(Describe(PathOf(name), null, "Member must not be null"));
        }
    }

    private string ExpectString(string name, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(name, "a string");

    private void CheckString(string path, string text, int min, int max, Regex? pattern, string? patternText)
    {
        if (text.Length < min)
        {
            _errors.Add(Describe(path, text, $"Member must have length greater than or equal to {min}"));
        }
        else if (text.Length > max)
        {
            _errors.Add(Describe(path, Truncate(text), $"Member must have length less than or equal to {max}"));
        }
        else if (pattern is not null && !pattern.IsMatch(text))
        {
            _errors.Add(Describe(path, Truncate(text),
                $"Member must satisfy regular expression pattern: {patternText ?? pattern.ToString().Trim('^', '$')}"));
        }
    }

    private void CheckCount(string name, int count, int min, int max)
    {
        if (count < min)
        {
            Fail(name, "[…]", $"Member must have length greater than or equal to {min}");
        }
        else if (count > max)
        {
            Fail(name, "[…]", $"Member must have length less than or equal to {max}");
        }
    }

    private Dictionary<string, string>? Map(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(name, "a map");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw WrongType($"{name}.{property.Name}", "a string");
            }

            map[property.Name] = property.Value.GetString()!;
        }

        return map;
    }

    private IvsException WrongType(string name, string expected) =>
        IvsException.Serialization($"Value at '{PathOf(name)}' must be {expected}.");

    private string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    private static string Describe(string path, string? value, string constraint) =>
        $"Value {(value is null ? "null" : $"'{value}'")} at '{path}' failed to satisfy constraint: {constraint}";

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
