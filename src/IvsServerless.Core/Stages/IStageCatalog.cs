namespace IvsServerless.Core.Stages;

/// <summary>
/// Every stage not marked deleted, in a fixed number of disjoint slices, in no particular order: the reconciler's
/// walk from records to IVS reads one slice per run, so a pass over all records costs the same each minute.
/// </summary>
public interface IStageCatalog
{
    /// <param name="slice">0 ≤ slice &lt; <paramref name="slices"/>.</param>
    IAsyncEnumerable<Stage> ListSliceAsync(int slice, int slices, CancellationToken cancellationToken);
}
