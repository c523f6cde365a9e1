using IvsServerless.Core.Quotas;

namespace IvsServerless.Testing.ApiSupport;

/// <summary>The IUsageLedger contract in memory: the limit is checked and the claim added under one lock.</summary>
public sealed class InMemoryUsageLedger : IUsageLedger
{
    private readonly Dictionary<string, Dictionary<string, string>> _ledgers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<bool> TryClaimAsync(string ledger, string claimId, string value, int limit, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var claims = ClaimsOf(ledger);
            if (claims.ContainsKey(claimId))
            {
                return Task.FromResult(true);
            }

            if (claims.Count >= limit)
            {
                return Task.FromResult(false);
            }

            claims[claimId] = value;
            return Task.FromResult(true);
        }
    }

    /// <summary>When set, <see cref="SetAsync"/> (confirming a claim) throws what this returns instead of writing.</summary>
    public Func<Exception>? FailSet { get; set; }

    public Task SetAsync(string ledger, string claimId, string value, CancellationToken cancellationToken)
    {
        if (FailSet is { } fail)
        {
            return Task.FromException(fail());
        }

        lock (_lock)
        {
            var claims = ClaimsOf(ledger);
            if (claims.ContainsKey(claimId))
            {
                claims[claimId] = value;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string>> ReadAsync(string ledger, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(
                new Dictionary<string, string>(ClaimsOf(ledger), StringComparer.Ordinal));
        }
    }

    public Task ReleaseAsync(string ledger, IReadOnlyCollection<string> claimIds, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var claims = ClaimsOf(ledger);
            foreach (var id in claimIds)
            {
                claims.Remove(id);
            }
        }

        return Task.CompletedTask;
    }

    private Dictionary<string, string> ClaimsOf(string ledger)
    {
        if (!_ledgers.TryGetValue(ledger, out var claims))
        {
            _ledgers[ledger] = claims = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return claims;
    }
}
