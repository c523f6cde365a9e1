using IvsServerless.Core.Compositions;
using IvsServerless.Core.Ivs;

namespace IvsServerless.Reconciler;

/// <summary>
/// Compositions whose events never settled them: a first event that came before the composition item and was dead-lettered
/// leaves it STARTING while IVS runs it; one stopped before it ever started gets no session end and stays STOPPING. After
/// <see cref="Grace"/> (the events' own retries are done by then) the state IVS reports is stored; a composition IVS no
/// longer knows has ended.
/// </summary>
public sealed class CompositionConvergence(ICompositionStore compositions, ICompositionInventory ivs, TimeProvider time)
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <returns>How many compositions of the stage were looked up in IVS and how many of those were repaired.</returns>
    public async Task<(int Checked, int Repaired)> ConvergeAsync(string stageId, CancellationToken ct)
    {
        var (checkedCount, repaired) = (0, 0);
        var now = time.GetUtcNow();
        foreach (var composition in await compositions.ListForStageAsync(stageId, ct))
        {
            if (composition.State is not ("STARTING" or "STOPPING") || composition.StartedAt > now - Grace)
            {
                continue;
            }

            checkedCount++;
            var state = await ivs.GetCompositionStateAsync(composition.CompositionArn, ct) ?? "STOPPED";
            if (state == composition.State)
            {
                continue;
            }

            await compositions.SetStateAsync(
                stageId, composition.CompositionId, state, Composition.IsFinished(state) ? now : null, ct);
            repaired++;
        }

        return (checkedCount, repaired);
    }
}
