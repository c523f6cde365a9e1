using System.Security.Cryptography;

namespace IvsServerless.Core.TokenSigning;

/// <summary>
/// The key that signs self-signed participant tokens: the P-384 private key (PKCS#8 DER) and the ARN IVS gave its
/// public half on <c>ImportPublicKey</c> (the token's <c>kid</c>). <see cref="ActivatedAt"/> is when it became the
/// signing key; the key it replaced may still verify tokens until the retention window after that has passed.
/// </summary>
public sealed class TokenSigningKey
{
    private readonly byte[] _pkcs8PrivateKey;

    public TokenSigningKey(string keyArn, ReadOnlySpan<byte> pkcs8PrivateKey, DateTimeOffset activatedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyArn);
        if (pkcs8PrivateKey.IsEmpty)
        {
            throw new ArgumentException("The private key is empty.", nameof(pkcs8PrivateKey));
        }

        KeyArn = keyArn;
        _pkcs8PrivateKey = pkcs8PrivateKey.ToArray();
        ActivatedAt = activatedAt;
    }

    public string KeyArn { get; }

    public ReadOnlySpan<byte> Pkcs8PrivateKey => _pkcs8PrivateKey;

    public DateTimeOffset ActivatedAt { get; }

    /// <summary>Whether both hold the same key for the same ARN (constant time on the key bytes).</summary>
    public bool SameKeyAs(TokenSigningKey other) =>
        other is not null && other.KeyArn == KeyArn && CryptographicOperations.FixedTimeEquals(other._pkcs8PrivateKey, _pkcs8PrivateKey);

    // Never print the key: this is what ends up in logs and exception messages.
    public override string ToString() => $"TokenSigningKey {{ KeyArn = {KeyArn}, ActivatedAt = {ActivatedAt:O} }}";
}

/// <summary>
/// Where the current signing key lives, encrypted at rest (production: an SSM SecureString under a KMS key). The
/// API reads it (once per container, then on a cache TTL); only the rotation writes or deletes it.
/// </summary>
public interface ITokenSigningKeyStore
{
    /// <summary>The current key, or null when none was stored yet.</summary>
    Task<TokenSigningKey?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="key"/> the current key (replacing any other).</summary>
    Task PutAsync(TokenSigningKey key, CancellationToken cancellationToken);

    /// <summary>Removes the stored key; no error when there is none.</summary>
    Task DeleteAsync(CancellationToken cancellationToken);
}

/// <summary>Self-signed tokens cannot be minted now (no key provisioned yet, or the key store is unreachable).</summary>
public sealed class TokenSigningUnavailableException : Exception
{
    public TokenSigningUnavailableException()
    {
    }

    public TokenSigningUnavailableException(string message)
        : base(message)
    {
    }

    public TokenSigningUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A fresh P-384 key pair: the PKCS#8 private key to store and the SPKI PEM to import into IVS.</summary>
public sealed record GeneratedSigningKeyPair(byte[] Pkcs8PrivateKey, string PublicKeyPem)
{
    public static GeneratedSigningKeyPair Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        return new GeneratedSigningKeyPair(key.ExportPkcs8PrivateKey(), key.ExportSubjectPublicKeyInfoPem());
    }

    public override string ToString() => "GeneratedSigningKeyPair { (private key hidden) }";
}
