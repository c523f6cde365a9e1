namespace IvsServerless.Core.Quotas;

/// <summary>
/// Counted claims, one ledger per user and limit (an item in the table). A claim is named by its caller: claiming the
/// same name again is success, so a write retried after its response was lost never counts twice, and the limit is
/// checked by the store in the same write, so concurrent claims never pass it together.
/// </summary>
public interface IUsageLedger
{
    /// <summary>Adds <paramref name="claimId"/> (with <paramref name="value"/>) unless the ledger holds <paramref name="limit"/>
    /// claims already; true when the claim is (now or already) in the ledger.</summary>
    /// <param name="expiresAt">When the whole ledger may be dropped (a rate window); null: never.</param>
    Task<bool> TryClaimAsync(string ledger, string claimId, string value, int limit, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken);

    /// <summary>Replaces the value of a claim the ledger holds (nothing when it does not).</summary>
    Task SetAsync(string ledger, string claimId, string value, CancellationToken cancellationToken);

    /// <summary>Every claim of the ledger with its value.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadAsync(string ledger, CancellationToken cancellationToken);

    /// <summary>Removes these claims (those already gone are ignored).</summary>
    Task ReleaseAsync(string ledger, IReadOnlyCollection<string> claimIds, CancellationToken cancellationToken);
}
