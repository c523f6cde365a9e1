namespace IvsServerless.Core.Stages;

/// <summary>
/// Deleting a stage, for every caller (the API's owner delete, the reconciler's idle-stage sweep): the IVS stage goes
/// first, then the item is kept but marked deleted (its id stays taken, late events find it deleted, it leaves every
/// listing). The order matters: an item marked deleted over a stage that still exists would hide the stage from
/// everyone, while a deleted stage with an unmarked item is finished by a retry.
/// </summary>
public static class StageDeletion
{
    /// <param name="read">Reads the stage as this caller may see it (and throws when it may not); null = nothing to delete.</param>
    /// <param name="deleteIvsStage">Deletes the IVS stage, tolerating one already gone; returns false to keep the stage after all
    /// (the sweeper's last look found it live), in which case nothing is written.</param>
    /// <param name="conflictRetries">Re-reads after a concurrent item update before giving up with <see
    /// cref="StageConflictException"/>.</param>
    /// <returns>True when the stage is now (or already was) marked deleted.</returns>
    public static async Task<bool> DeleteAsync(
        this IStageStore stages,
        Func<CancellationToken, Task<Stage?>> read,
        Func<Stage, CancellationToken, Task<bool>> deleteIvsStage,
        int conflictRetries,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(deleteIvsStage);
        for (var attempt = 0; ; attempt++)
        {
            var current = await read(cancellationToken);
            if (current is null)
            {
                return false;
            }

            if (current.Deleted)
            {
                return true;
            }

            if (!await deleteIvsStage(current, cancellationToken))
            {
                return false;
            }

            try
            {
                await stages.UpdateAsync(
                    current with { Deleted = true, ActiveSessionId = null, Version = current.Version + 1 }, cancellationToken);
                return true;
            }
            catch (StageConflictException) when (attempt < conflictRetries)
            {
                // Someone wrote the item in between (an event, the API): read again; the IVS delete is idempotent.
            }
        }
    }
}
