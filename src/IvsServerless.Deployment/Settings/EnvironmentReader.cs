using System.Globalization;

namespace IvsServerless.Deployment.Settings;

/// <summary>
/// Reads a function's environment for the settings records, collecting every problem so that one init error names
/// each bad variable, not only the first.
/// </summary>
public sealed class EnvironmentReader(Func<string, string?> environment)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public void Fail(string error) => _errors.Add(error);

    /// <summary>The value, or null when unset or blank.</summary>
    public string? Text(string name) => string.IsNullOrWhiteSpace(environment(name)) ? null : environment(name);

    public string Required(string name)
    {
        var value = Text(name);
        if (value is null)
        {
            Fail($"{name} is required");
        }

        return value ?? "";
    }

    public Uri? Url(string name)
    {
        if (Text(name) is not { } value)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            Fail($"{name} must be an absolute http(s) URL");
            return null;
        }

        return url;
    }

    /// <summary>A whole number of minutes of at least one.</summary>
    public int? Minutes(string name)
    {
        if (Text(name) is not { } value)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes < 1)
        {
            Fail($"{name} must be a whole number of minutes ≥ 1");
            return null;
        }

        return minutes;
    }

    public int? Number(string name, int min, int max, string unit)
    {
        if (Text(name) is not { } value)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            Fail($"{name} must be a whole number of {unit} from {min} to {max}");
            return null;
        }

        return number;
    }

    /// <summary>Throws the init error naming every problem found so far, if any.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid function configuration: " + string.Join("; ", _errors) + ".");
        }
    }
}

/// <summary>Writes settings records as environment variables: only the values that are set, numbers invariant.</summary>
internal static class EnvironmentWriter
{
    public static IEnumerable<KeyValuePair<string, string>> Set(params (string Name, object? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            var text = value switch
            {
                null => null,
                Uri url => url.GetLeftPart(UriPartial.Authority),
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (!string.IsNullOrEmpty(text))
            {
                yield return new(name, text);
            }
        }
    }
}
