using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IvsServerless.LocalBus;

/// <summary>
/// An Amazon EventBridge event pattern, for the subset real rules use: exact values (OR within a field,
/// AND across fields, nested objects), and the content filters <c>prefix</c>, <c>anything-but</c> (a value,
/// a list, or <c>{"prefix": …}</c>), <c>exists</c> and <c>numeric</c>. Patterns are parsed from the same
/// JSON text a CDK rule carries, so local routing and AWS routing cannot drift apart.
/// </summary>
public sealed class EventPattern
{
    private static readonly HashSet<string> NumericOperators = ["<", "<=", "=", ">", ">="];

    private readonly Dictionary<string, Field> _fields;

    private EventPattern(Dictionary<string, Field> fields, string text)
    {
        _fields = fields;
        Text = text;
    }

    /// <summary>The JSON the pattern was parsed from.</summary>
    public string Text { get; }

    public override string ToString() => Text;

    /// <summary>Parses a pattern; an invalid one is an <see cref="ArgumentException"/> saying what is wrong and where.</summary>
    public static EventPattern Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"Event pattern is not valid JSON: {error.Message}", nameof(json), error);
        }
        if (root is not JsonObject obj)
        {
            throw new ArgumentException("Event pattern must be a JSON object.", nameof(json));
        }
        return new EventPattern(ParseObject(obj, "$"), json);
    }

    /// <summary>Whether the event (a JSON object) matches every field of the pattern.</summary>
    public bool Matches(JsonNode? eventJson) => eventJson is JsonObject obj && MatchObject(_fields, obj);

    public bool Matches(ReadOnlySpan<byte> eventJson)
    {
        try
        {
            return Matches(JsonNode.Parse(eventJson));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // ---- parsing ----

    private abstract record Field;

    private sealed record NestedField(Dictionary<string, Field> Fields) : Field;

    private sealed record LeafField(IReadOnlyList<Matcher> Matchers) : Field;

    private static Dictionary<string, Field> ParseObject(JsonObject obj, string path)
    {
        if (obj.Count == 0)
        {
            throw Invalid(path, "empty objects are not allowed");
        }
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var (name, value) in obj)
        {
            var fieldPath = $"{path}.{name}";
            fields[name] = value switch
            {
                JsonObject nested => new NestedField(ParseObject(nested, fieldPath)),
                JsonArray array => new LeafField(ParseLeaf(array, fieldPath)),
                _ => throw Invalid(fieldPath, "a field's value must be an array of values to match, or an object"),
            };
        }
        return fields;
    }

    private static List<Matcher> ParseLeaf(JsonArray array, string path)
    {
        if (array.Count == 0)
        {
            throw Invalid(path, "empty arrays are not allowed");
        }
        var matchers = new List<Matcher>(array.Count);
        foreach (var item in array)
        {
            matchers.Add(item switch
            {
                null => new ExactMatcher(null),
                JsonValue value => new ExactMatcher(value),
                JsonObject filter => ParseFilter(filter, path),
                _ => throw Invalid(path, "nested arrays are not allowed"),
            });
        }
        return matchers;
    }

    private static Matcher ParseFilter(JsonObject filter, string path)
    {
        if (filter.Count != 1)
        {
            throw Invalid(path, "a content filter must have exactly one key");
        }
        var (name, value) = filter.First();
        return name switch
        {
            "prefix" => new PrefixMatcher(RequireString(value, path, "prefix")),
            "exists" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? new ExistsMatcher(v.GetValue<bool>())
                : throw Invalid(path, "exists must be true or false"),
            "anything-but" => ParseAnythingBut(value, path),
            "numeric" => ParseNumeric(value, path),
            _ => throw Invalid(path, $"unsupported content filter '{name}'"),
        };
    }

    private static Matcher ParseAnythingBut(JsonNode? value, string path)
    {
        switch (value)
        {
            case JsonObject { Count: 1 } obj when obj.ContainsKey("prefix"):
                return new AnythingButPrefixMatcher(RequireString(obj["prefix"], path, "anything-but prefix"));
            case JsonValue single when IsStringOrNumber(single):
                return new AnythingButMatcher([single]);
            case JsonArray { Count: > 0 } list when list.All(i => i is JsonValue v && IsStringOrNumber(v)):
                var kinds = list.Select(i => i!.GetValueKind()).Distinct().Count();
                return kinds == 1
                    ? new AnythingButMatcher(list.Cast<JsonValue>().ToList())
                    : throw Invalid(path, "anything-but list must hold only strings or only numbers");
            default:
                throw Invalid(path, "anything-but takes a string, a number, a non-empty list of them, or {\"prefix\": …}");
        }
    }

    private static NumericMatcher ParseNumeric(JsonNode? value, string path)
    {
        if (value is not JsonArray { Count: 2 or 4 } list)
        {
            throw Invalid(path, "numeric takes one or two [operator, number] pairs");
        }
        var conditions = new List<(string, double)>();
        for (var i = 0; i < list.Count; i += 2)
        {
            var op = list[i] is JsonValue o && o.GetValueKind() == JsonValueKind.String ? o.GetValue<string>() : null;
            if (op is null || !NumericOperators.Contains(op))
            {
                throw Invalid(path, "numeric operator must be one of <, <=, =, >, >=");
            }
            if (list[i + 1] is not JsonValue n || n.GetValueKind() != JsonValueKind.Number)
            {
                throw Invalid(path, "numeric operator must be followed by a number");
            }
            conditions.Add((op, AsNumber(n)!.Value));
        }
        if (conditions.Count == 2 && (conditions[0].Item1 == "=" || conditions[1].Item1 == "="))
        {
            throw Invalid(path, "numeric '=' cannot be combined with a second condition");
        }
        return new NumericMatcher(conditions);
    }

    private static string RequireString(JsonNode? value, string path, string filter) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw Invalid(path, $"{filter} takes a string");

    private static bool IsStringOrNumber(JsonValue value) => value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number;

    private static ArgumentException Invalid(string path, string reason) =>
        new($"Event pattern is not valid at {path}: {reason}.");

    // ---- matching ----

    private static bool MatchObject(Dictionary<string, Field> fields, JsonObject obj)
    {
        foreach (var (name, field) in fields)
        {
            var present = obj.TryGetPropertyValue(name, out var value);
            var ok = field switch
            {
                NestedField nested => MatchNested(nested, present ? value : null),
                LeafField leaf => leaf.Matchers.Any(m => m.Matches(present, value)),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    // EventBridge matches on flattened paths (detail.state): where there is no object, every path below is
    // absent, which only {"exists": false} accepts.
    private static bool MatchNested(NestedField nested, JsonNode? value) => value switch
    {
        JsonObject obj => MatchObject(nested.Fields, obj),
        JsonArray array => array.Any(item => item is JsonObject o && MatchObject(nested.Fields, o)),
        _ => MatchObject(nested.Fields, []),
    };

    private abstract record Matcher
    {
        public virtual bool Matches(bool present, JsonNode? value) =>
            present && value switch
            {
                // EventBridge: an array in the event matches when any element matches.
                JsonArray array => array.Any(item => item is not JsonObject and not JsonArray && MatchesValue(item)),
                JsonObject => false,
                _ => MatchesValue(value),
            };

        protected abstract bool MatchesValue(JsonNode? value);
    }

    private sealed record ExactMatcher(JsonValue? Expected) : Matcher
    {
        protected override bool MatchesValue(JsonNode? value) => SameValue(Expected, value);
    }

    private sealed record PrefixMatcher(string Prefix) : Matcher
    {
        protected override bool MatchesValue(JsonNode? value) =>
            AsString(value) is { } s && s.StartsWith(Prefix, StringComparison.Ordinal);
    }

    private sealed record AnythingButMatcher(IReadOnlyList<JsonValue> Excluded) : Matcher
    {
        protected override bool MatchesValue(JsonNode? value) => !Excluded.Any(e => SameValue(e, value));
    }

    private sealed record AnythingButPrefixMatcher(string Prefix) : Matcher
    {
        protected override bool MatchesValue(JsonNode? value) =>
            AsString(value) is { } s && !s.StartsWith(Prefix, StringComparison.Ordinal);
    }

    private sealed record ExistsMatcher(bool ShouldExist) : Matcher
    {
        // Exists only concerns leaf fields: an object in the event is not a value a leaf pattern can see.
        public override bool Matches(bool present, JsonNode? value) =>
            ShouldExist ? present && value is not JsonObject : !present;

        protected override bool MatchesValue(JsonNode? value) => true;
    }

    private sealed record NumericMatcher(IReadOnlyList<(string Op, double Bound)> Conditions) : Matcher
    {
        protected override bool MatchesValue(JsonNode? value) =>
            AsNumber(value) is { } n && Conditions.All(c => c.Op switch
            {
                "<" => n < c.Bound,
                "<=" => n <= c.Bound,
                "=" => n == c.Bound,
                ">" => n > c.Bound,
                _ => n >= c.Bound,
            });
    }

    private static bool SameValue(JsonValue? expected, JsonNode? actual)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null;
        }
        if (actual is not JsonValue value)
        {
            return false;
        }
        var kind = expected.GetValueKind();
        if (kind != value.GetValueKind())
        {
            return false;
        }
        return kind switch
        {
            JsonValueKind.String => expected.GetValue<string>() == value.GetValue<string>(),
            // Numbers compare by value, so 5 matches 5.0.
            JsonValueKind.Number => AsNumber(expected) == AsNumber(value),
            _ => true, // true, false: the kinds already agree
        };
    }

    private static string? AsString(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    // Through the JSON text: GetValue<double> refuses a value that was created from an int.
    private static double? AsNumber(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
