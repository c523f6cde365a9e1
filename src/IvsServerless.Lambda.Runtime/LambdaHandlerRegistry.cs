namespace IvsServerless.Lambda.Runtime;

/// <summary>
/// The dispatch table of the one bootstrap executable: each Lambda function selects its handler
/// by name through its handler setting (<c>_HANDLER</c>).
/// </summary>
public sealed class LambdaHandlerRegistry
{
    private readonly Dictionary<string, Func<ILambdaHandler>> _factories = new(StringComparer.Ordinal);

    /// <summary>Registers a handler; the factory runs once, in the init phase, and only for the selected name.</summary>
    public LambdaHandlerRegistry Add(string name, Func<ILambdaHandler> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Handler name '{name}' contains whitespace.", nameof(name));
        }

        if (!_factories.TryAdd(name, factory))
        {
            throw new ArgumentException($"Handler '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registered names, sorted so error messages are stable.</summary>
    public IReadOnlyList<string> Names => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    public bool TryGetFactory(string? name, out Func<ILambdaHandler> factory)
    {
        if (name is not null && _factories.TryGetValue(name, out var found))
        {
            factory = found;
            return true;
        }

        factory = null!;
        return false;
    }
}
