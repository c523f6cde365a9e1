using System.Globalization;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Quotas;

/// <summary>
/// The per-user limits of <see cref="QuotaOptions"/> over one <see cref="IUsageLedger"/>. Counts are claims taken before
/// the IVS call they pay for and confirmed with what it made; nothing releases them on every delete path: when a
/// ledger is full, claims whose stage is deleted or whose composition has ended are dropped first (so the count heals
/// whichever way a stage or composition went), and so are claims of creates that never finished.
/// </summary>
public sealed class UserQuotas(
    IUsageLedger ledger, IStageStore stages, ICompositionStore compositions, QuotaOptions options, TimeProvider time)
{
    /// <summary>A claim whose create never confirmed (the function died in between) stops counting after this.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    private const string StagePrefix = "stage:";
    private const string CompositionPrefix = "composition:";
    private const string PendingPrefix = "pending@";

    public QuotaOptions Options => options;

    /// <summary>Takes one of the owner's stage slots; throws <see cref="UserQuotaExceededException"/> when none is free.</summary>
    /// <returns>The claim, to confirm with the stage id or release when the create certainly failed.</returns>
    public async Task<string> ClaimStageAsync(string ownerId, CancellationToken ct)
    {
        var claim = Guid.NewGuid().ToString("N");
        await ClaimAsync(StagesLedger(ownerId), claim, options.StagesPerOwner, "stages", ct);
        return claim;
    }

    public Task ConfirmStageAsync(string ownerId, string claim, string stageId, CancellationToken ct) =>
        ledger.SetAsync(StagesLedger(ownerId), claim, StagePrefix + stageId, ct);

    public Task ReleaseStageAsync(string ownerId, string claim, CancellationToken ct) =>
        ledger.ReleaseAsync(StagesLedger(ownerId), [claim], ct);

    /// <summary>Takes one of the owner's composition slots under <paramref name="claim"/> (the same for a retried start).</summary>
    public Task ClaimCompositionAsync(string ownerId, string claim, CancellationToken ct) =>
        ClaimAsync(CompositionsLedger(ownerId), claim, options.ConcurrentCompositionsPerOwner, "concurrent compositions", ct);

    public Task ConfirmCompositionAsync(string ownerId, string claim, string stageId, string compositionId, CancellationToken ct) =>
        ledger.SetAsync(CompositionsLedger(ownerId), claim, CompositionPrefix + stageId + "/" + compositionId, ct);

    public Task ReleaseCompositionAsync(string ownerId, string claim, CancellationToken ct) =>
        ledger.ReleaseAsync(CompositionsLedger(ownerId), [claim], ct);

    /// <summary>Counts one participant token in the caller's current minute; throws <see cref="UserRateLimitedException"/>
    /// once the minute holds <see cref="QuotaOptions.TokenMintsPerMinute"/>.</summary>
    public async Task CountTokenMintAsync(string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        var windowEnd = DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60);
        var window = $"MINTS#{userId}#{minute.ToString(CultureInfo.InvariantCulture)}";
        if (!await ledger.TryClaimAsync(window, Guid.NewGuid().ToString("N"), "1", options.TokenMintsPerMinute,
            windowEnd.AddMinutes(1), ct))
        {
            throw new UserRateLimitedException("participant tokens", options.TokenMintsPerMinute, windowEnd - now);
        }
    }

    private static string StagesLedger(string ownerId) => "STAGES#" + ownerId;

    private static string CompositionsLedger(string ownerId) => "COMPOSITIONS#" + ownerId;

    private async Task ClaimAsync(string name, string claim, int limit, string quota, CancellationToken ct)
    {
        var pending = PendingPrefix + time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (await ledger.TryClaimAsync(name, claim, pending, limit, null, ct))
        {
            return;
        }

        var stale = await StaleClaimsAsync(await ledger.ReadAsync(name, ct), ct);
        if (stale.Count == 0)
        {
            throw new UserQuotaExceededException(quota, limit);
        }

        await ledger.ReleaseAsync(name, stale, ct);
        if (!await ledger.TryClaimAsync(name, claim, pending, limit, null, ct))
        {
            throw new UserQuotaExceededException(quota, limit);
        }
    }

    private async Task<List<string>> StaleClaimsAsync(IReadOnlyDictionary<string, string> claims, CancellationToken ct)
    {
        var stale = new List<string>();
        foreach (var (claim, value) in claims)
        {
            if (await IsStaleAsync(value, ct))
            {
                stale.Add(claim);
            }
        }

        return stale;
    }

    private async Task<bool> IsStaleAsync(string value, CancellationToken ct)
    {
        if (value.StartsWith(PendingPrefix, StringComparison.Ordinal))
        {
            return !long.TryParse(value[PendingPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var since)
                || time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(since) > PendingLifetime;
        }

        if (value.StartsWith(StagePrefix, StringComparison.Ordinal))
        {
            return await stages.FindAsync(value[StagePrefix.Length..], ct) is not { Deleted: false };
        }

        if (value.StartsWith(CompositionPrefix, StringComparison.Ordinal)
            && value[CompositionPrefix.Length..].Split('/') is [var stageId, var id])
        {
            return await compositions.FindAsync(stageId, id, ct) is not { } composition || Composition.IsFinished(composition.State);
        }

        return true;
    }
}
