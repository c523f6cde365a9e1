using IvsServerless.Core.Quotas;

namespace IvsServerless.Benchmarks.Support;

/// <summary>
/// Grants every claim and keeps none: the in-memory variant measures the handler's own overhead over millions of calls
/// by one user, which any per-user limit would turn into 429s. The local-engines variant counts in DynamoDB.
/// </summary>
public sealed class UnmeteredUsageLedger : IUsageLedger
{
    public Task<bool> TryClaimAsync(string ledger, string claimId, string value, int limit, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetAsync(string ledger, string claimId, string value, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<string, string>> ReadAsync(string ledger, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    public Task ReleaseAsync(string ledger, IReadOnlyCollection<string> claimIds, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
