namespace IvsServerless.Core.Stages;

/// <summary>Records a stage's live session as events and the reconciler observe it (see <see cref="Stage.WithActiveSession"/>).</summary>
public static class ActiveSessions
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Applies the observation with an optimistic read-modify-write, re-reading when an API update wins the race.
    /// Returns false when the stage is unknown or deleted, or the observation is not newer than the recorded one.
    /// </summary>
    public static async Task<bool> RecordAsync(this IStageStore stages, string stageId, string? sessionId, DateTimeOffset observedAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stages);
        for (var attempt = 1; ; attempt++)
        {
            var stage = await stages.FindAsync(stageId, cancellationToken);
            if (stage is null || stage.Deleted || stage.WithActiveSession(sessionId, observedAt) is not { } updated)
            {
                return false;
            }

            try
            {
                await stages.UpdateAsync(updated, cancellationToken);
                return true;
            }
            catch (StageConflictException) when (attempt < MaxAttempts)
            {
                // Someone changed the stage between our read and write: read again and re-decide.
            }
        }
    }
}
