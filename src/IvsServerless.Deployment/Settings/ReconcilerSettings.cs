using IvsServerless.Core.Reconciliation;

namespace IvsServerless.Deployment.Settings;

/// <summary>The reconciler's pace and its idle-stage sweep. Unset values take the defaults below.</summary>
public sealed record ReconcilerSettings
{
    public const int DefaultIdleStageMinutes = ReconcilerDefaults.IdleStageMinutes;

    /// <summary>Less would risk deleting a stage between its creation and its first join.</summary>
    public const int MinIdleStageMinutes = 10;

    public const int MaxIdleStageMinutes = 525_600;

    /// <summary>The IVS quota of the operations the reconciler calls.</summary>
    public const int MaxCallsPerSecond = ReconcilerDefaults.IvsCallsPerSecond;

    /// <summary><c>IDLE_STAGE_MINUTES</c>: stages of this deployment unused for this long are deleted.</summary>
    public int? IdleStageMinutes { get; init; }

    /// <summary><c>RECONCILER_CALLS_PER_SECOND</c> (1 to 5): the reconciler's rate per IVS operation.</summary>
    public int? CallsPerSecond { get; init; }

    public TimeSpan IdleStageAfter => TimeSpan.FromMinutes(IdleStageMinutes ?? DefaultIdleStageMinutes);

    public int CallsPerSecondOrDefault => CallsPerSecond ?? MaxCallsPerSecond;

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        ("IDLE_STAGE_MINUTES", IdleStageMinutes),
        ("RECONCILER_CALLS_PER_SECOND", CallsPerSecond));

    public static ReconcilerSettings Read(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new ReconcilerSettings
        {
            IdleStageMinutes = environment.Number("IDLE_STAGE_MINUTES", MinIdleStageMinutes, MaxIdleStageMinutes, "minutes"),
            CallsPerSecond = environment.Number("RECONCILER_CALLS_PER_SECOND", 1, MaxCallsPerSecond, "calls per second"),
        };
    }
}
