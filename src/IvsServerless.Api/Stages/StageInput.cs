using System.Text.RegularExpressions;
using IvsServerless.Api.Errors;
using IvsServerless.Core.Stages;

namespace IvsServerless.Api.Stages;

/// <summary>Checks stage fields, collecting every field error at once so an app can show them together.</summary>
internal sealed partial class StageInput
{
    public const int MaxNameLength = 128;
    public const int MaxUserIdLength = 128;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    // The name becomes the IVS stage name, so it follows the IVS pattern.
    public string? Name(string? name, bool required)
    {
        if (name is null)
        {
            return required ? Add<string>("name", "Required.") : null;
        }

        return name.Length is 0 or > MaxNameLength || !NamePattern().IsMatch(name)
            ? Add<string>("name", $"1-{MaxNameLength} letters, digits, '-' or '_'.")
            : name;
    }

    public StageVisibility? Visibility(string? visibility, bool required) => visibility switch
    {
        null when required => Add<StageVisibility?>("visibility", "Required: \"public\" or \"private\"."),
        null => null,
        "public" => StageVisibility.Public,
        "private" => StageVisibility.Private,
        _ => Add<StageVisibility?>("visibility", "Must be \"public\" or \"private\"."),
    };

    public IReadOnlySet<string>? UserIds(string field, IReadOnlyList<string>? ids, int max, string ownerId)
    {
        if (ids is null)
        {
            return null;
        }

        if (ids.Count > max)
        {
            return Add<IReadOnlySet<string>>(field, $"At most {max} user ids.");
        }

        if (ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > MaxUserIdLength))
        {
            return Add<IReadOnlySet<string>>(field, $"Each user id must be 1-{MaxUserIdLength} characters.");
        }

        if (ids.Contains(ownerId, StringComparer.Ordinal))
        {
            return Add<IReadOnlySet<string>>(field, "The owner cannot be listed.");
        }

        return ids.ToHashSet(StringComparer.Ordinal);
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new RequestValidationException("validation-failed", "The request has invalid fields.",
                _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }

    private T? Add<T>(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return default;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
