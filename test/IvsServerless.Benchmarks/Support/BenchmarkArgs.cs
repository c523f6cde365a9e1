using System.Globalization;

namespace IvsServerless.Benchmarks.Support;

/// <summary>
/// <c>--name value</c> options and <c>--flag</c> switches. <c>all</c> hands the same arguments to every benchmark,
/// so each reads only the options it knows and ignores the rest.
/// </summary>
public sealed class BenchmarkArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public BenchmarkArgs(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}': options are --name value or --flag.");
            }

            var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            _options[args[i][2..]] = hasValue ? args[++i] : null;
        }
    }

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Text(string name) => _options.GetValueOrDefault(name);

    /// <summary>A positive whole number, or <paramref name="fallback"/> when the option is absent.</summary>
    public int Count(string name, int fallback)
    {
        if (_options.GetValueOrDefault(name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} must be a whole number ≥ 1, not '{text}'.");
    }

    /// <summary>A comma-separated list of positive whole numbers, e.g. <c>--concurrency 1,4,16,64</c>.</summary>
    public IReadOnlyList<int> Counts(string name, IReadOnlyList<int> fallback)
    {
        if (_options.GetValueOrDefault(name) is not { } text)
        {
            return fallback;
        }

        var values = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            values.Add(int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"--{name} must list whole numbers ≥ 1, not '{text}'."));
        }

        return values.Count > 0 ? values : throw new ArgumentException($"--{name} is empty.");
    }
}
