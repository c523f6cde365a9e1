namespace IvsServerless.Deployment.Settings;

/// <summary>
/// Everything a function reads from its environment, validated once at init: a missing or bad setting is an init
/// error naming the variable (all of them at once), not a failure on the first request. Every function reads the whole
/// schema; each only uses its part, and the stack writes only that part.
/// </summary>
public sealed record FunctionSettings(
    AwsEndpointSettings Aws,
    TableSettings Table,
    TokenSettings Tokens,
    CompositionSettings Compositions,
    ReconcilerSettings Reconciler,
    LiveSettings? Live = null)
{
    /// <summary>Live updates (WebSocket authorizer and notifier); empty when not set.</summary>
    public LiveSettings Live { get; init; } = Live ?? new LiveSettings();

    /// <summary>Individual participant recording (its own init member, so the positional list stays as it was).</summary>
    public RecordingSettings Recordings { get; init; } = new();

    /// <summary>Per-user limits of the API functions (its own init member, so the positional list stays as it was).</summary>
    public QuotaSettings Quotas { get; init; } = new();

    public static FunctionSettings From(Func<string, string?> environment)
    {
        var reader = new EnvironmentReader(environment);
        var settings = new FunctionSettings(
            AwsEndpointSettings.Read(reader),
            TableSettings.Read(reader),
            TokenSettings.Read(reader),
            CompositionSettings.Read(reader),
            ReconcilerSettings.Read(reader),
            LiveSettings.Read(reader))
        { Recordings = RecordingSettings.Read(reader), Quotas = QuotaSettings.Read(reader) };
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>The environment that reads back as these settings.</summary>
    public IReadOnlyDictionary<string, string> Variables() =>
        Aws.Variables().Concat(Table.Variables()).Concat(Tokens.Variables()).Concat(Compositions.Variables()).Concat(Reconciler.Variables())
            .Concat(Live.Variables())
            .Concat(Recordings.Variables())
            .Concat(Quotas.Variables())
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
}
