using IvsServerless.Core.Ivs;
using IvsServerless.Core.Stages;

namespace IvsServerless.Reconciler;

/// <summary>
/// The walk from records to IVS (the main pass walks from IVS to records): a stage record whose IVS stage is gone — deleted
/// outside this backend, or a create whose compensation raced its own lost write — would list and read as a stage
/// nobody can join. Each run visits one of <see cref="Slices"/> slices of the records (chosen by the run's minute, so
/// all of them are visited every <see cref="Slices"/> runs) and marks deleted those GetStage no longer knows.
/// </summary>
public sealed class GhostStageWalk(IStageCatalog catalog, IStageStore stages, ReconcilerOptions options, TimeProvider time)
{
    /// <summary>At one run a minute, every record is looked at about once an hour.</summary>
    public const int Slices = 64;

    /// <summary>A record this young may belong to a create still in flight; IVS lists are eventually consistent too.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <returns>How many records were checked and how many were marked deleted.</returns>
    public async Task<(int Checked, int Marked)> RunAsync(IStageInventory ivs, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var slice = (int)(now.ToUnixTimeSeconds() / 60 % Slices);
        var (checkedCount, marked) = (0, 0);
        await foreach (var stage in catalog.ListSliceAsync(slice, Slices, ct))
        {
            if (stage.Deleted || stage.CreatedAt > now - Grace)
            {
                continue;
            }

            checkedCount++;
            if (await IvsStageExistsAsync(ivs, stage.StageArn, ct))
            {
                continue;
            }

            // As every deletion: through StageDeletion, guarded by the record's version (a concurrent API delete or
            // event write wins, and the record is read again). The IVS stage is already gone.
            if (await stages.DeleteAsync(
                token => stages.FindAsync(stage.StageId, token),
                (_, _) => Task.FromResult(true),
                options.ConflictRetries,
                ct))
            {
                marked++;
            }
        }

        return (checkedCount, marked);
    }

    private static async Task<bool> IvsStageExistsAsync(IStageInventory ivs, string stageArn, CancellationToken ct)
    {
        try
        {
            await ivs.GetStageAsync(stageArn, ct);
            return true;
        }
        catch (IvsResourceNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IvsServiceException or HttpRequestException)
        {
            // No answer is not "gone": the record stays until a later run hears IVS say so.
            return true;
        }
    }
}
