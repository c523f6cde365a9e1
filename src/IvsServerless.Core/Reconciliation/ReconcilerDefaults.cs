namespace IvsServerless.Core.Reconciliation;

/// <summary>The reconciler's defaults, shared by its options and the deployment's settings.</summary>
public static class ReconcilerDefaults
{
    /// <summary>The IVS rate quota of the operations the reconciler calls (except tags, 10 TPS), per account and region.</summary>
    public const int IvsCallsPerSecond = 5;

    /// <summary>A stage of this deployment with no session activity (and, never used, no creation) for this long is deleted.</summary>
    public const int IdleStageMinutes = 24 * 60;
}
