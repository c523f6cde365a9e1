using System.Globalization;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Stages;

namespace IvsServerless.Reconciler;

/// <summary>
/// Deletes stages of this deployment that nobody used for <see cref="ReconcilerOptions.IdleStageAfter"/>, and IVS
/// stages of this deployment without a stage item (creates that failed half-way) once they are that old.
/// Never a stage with a live session: the caller passes only stages <c>ListStages</c> showed without one, the item
/// must not say live either, and <c>GetStage</c> is asked once more right before <c>DeleteStage</c>.
/// </summary>
public sealed class IdleStageSweeper(IStageStore stages, ReconcilerOptions options, TimeProvider time)
{
    /// <summary>A stage with an item, not live: deleted like the API deletes (IVS stage, then item marked deleted).</summary>
    public async Task<bool> SweepAsync(IStageInventory ivs, Stage item, CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - options.IdleStageAfter;

        // Cheap first: the item knows when the stage was created and when a session was last seen to start or end.
        var idleSince = item.ActiveSessionObservedAt is { } seen && seen > item.CreatedAt ? seen : item.CreatedAt;
        if (item.ActiveSessionId is not null || idleSince > cutoff || await HadActivitySinceAsync(ivs, item.StageArn, cutoff, ct))
        {
            return false;
        }

        return await stages.DeleteAsync(
            async token => await stages.FindAsync(item.StageId, token) is { } current
                && (current.Deleted || current.ActiveSessionId is null) ? current : null,
            async (_, token) => await LastLookThenDeleteAsync(ivs, item.StageArn, token),
            options.ConflictRetries,
            ct);
    }

    /// <summary>
    /// An IVS stage of this deployment with no live item. IVS keeps no creation time, so the first sweep that finds
    /// it tags it with <see cref="StageTags.OrphanSince"/>; it is deleted once that is older than the idle limit.
    /// </summary>
    public async Task<OrphanOutcome> SweepOrphanAsync(IStageInventory ivs, IvsStageSummary summary, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (summary.Tags.GetValueOrDefault(StageTags.OrphanSince) is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
        {
            await ivs.TagStageAsync(summary.Arn, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [StageTags.OrphanSince] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            }, ct);
            return OrphanOutcome.Marked;
        }

        var cutoff = now - options.IdleStageAfter;
        if (since > cutoff || await HadActivitySinceAsync(ivs, summary.Arn, cutoff, ct))
        {
            return OrphanOutcome.Kept;
        }

        return await LastLookThenDeleteAsync(ivs, summary.Arn, ct) ? OrphanOutcome.Deleted : OrphanOutcome.Kept;
    }

    /// <summary>Whether any session of the stage is active, or started or ended after <paramref name="cutoff"/>.</summary>
    private static async Task<bool> HadActivitySinceAsync(IStageInventory ivs, string stageArn, DateTimeOffset cutoff, CancellationToken ct)
    {
        string? next = null;
        do
        {
            var page = await ivs.ListStageSessionsAsync(stageArn, next, ct);
            if (page.Items.Any(s => s.EndTime is null || s.EndTime > cutoff || s.StartTime > cutoff))
            {
                return true;
            }

            next = page.NextCursor;
        }
        while (!string.IsNullOrEmpty(next));

        return false;
    }

    // IVS has no conditional delete: the last look narrows the window in which someone joins to one round trip.
    private static async Task<bool> LastLookThenDeleteAsync(IStageInventory ivs, string stageArn, CancellationToken ct)
    {
        try
        {
            var stage = await ivs.GetStageAsync(stageArn, ct);
            if (stage.ActiveSessionId is not null)
            {
                return false;
            }
        }
        catch (IvsResourceNotFoundException)
        {
            return true;
        }

        await ivs.DeleteStageIfExistsAsync(stageArn, ct);
        return true;
    }
}

public enum OrphanOutcome
{
    Kept,
    Marked,
    Deleted,
}
