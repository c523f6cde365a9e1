using IvsServerless.Core.TokenSigning;

namespace IvsServerless.Infrastructure.TokenSigning;

/// <summary>
/// The signing key kept in process memory: for local runs (there is no local SSM/KMS engine) and tests. Counts reads
/// so a test can see the cache at work.
/// </summary>
public sealed class InMemoryTokenSigningKeyStore : ITokenSigningKeyStore
{
    private readonly Lock _gate = new();
    private TokenSigningKey? _key;

    public int Reads { get; private set; }

    public int Writes { get; private set; }

    /// <summary>When set, reads throw it (a key store outage).</summary>
    public Exception? FailReadsWith { get; set; }

    public TokenSigningKey? Current
    {
        get
        {
            lock (_gate)
            {
                return _key;
            }
        }
    }

    public Task<TokenSigningKey?> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Reads++;
            return FailReadsWith is { } failure ? Task.FromException<TokenSigningKey?>(failure) : Task.FromResult(_key);
        }
    }

    public Task PutAsync(TokenSigningKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            Writes++;
            _key = key;
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _key = null;
        }

        return Task.CompletedTask;
    }
}
