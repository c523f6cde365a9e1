namespace IvsServerless.Core.Ivs;

/// <summary>What the reconciler asks IVS about a composition whose state the events left unsettled.</summary>
public interface ICompositionInventory
{
    /// <summary>The composition's state as IVS names it (STARTING, ACTIVE, STOPPING, STOPPED, FAILED); null when IVS no
    /// longer knows it (a composition ended a while ago is gone).</summary>
    Task<string?> GetCompositionStateAsync(string compositionArn, CancellationToken cancellationToken);
}
