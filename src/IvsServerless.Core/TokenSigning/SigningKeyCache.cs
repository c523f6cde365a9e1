using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IvsServerless.Core.TokenSigning;

/// <summary>
/// The imported, ready-to-sign current key: the <see cref="ECDsa"/> instance every token of this container reuses and
/// the token header, already base64url-encoded, since it depends on the key alone.
/// </summary>
public sealed class SigningMaterial
{
    internal SigningMaterial(TokenSigningKey source, ECDsa key)
    {
        Source = source;
        Key = key;
        HeaderSegment = EncodeHeader(source.KeyArn);
    }

    public string KeyArn => Source.KeyArn;

    internal TokenSigningKey Source { get; }

    internal ECDsa Key { get; }

    /// <summary>ASCII base64url of <c>{"alg":"ES384","typ":"JWT","kid":"&lt;public key ARN&gt;"}</c>.</summary>
    internal byte[] HeaderSegment { get; }

    public override string ToString() => $"SigningMaterial {{ KeyArn = {KeyArn} }}";

    private static byte[] EncodeHeader(string keyArn)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("alg"u8, "ES384"u8);
            writer.WriteString("typ"u8, "JWT"u8);
            writer.WriteString("kid"u8, keyArn);
            writer.WriteEndObject();
        }

        return Encoding.ASCII.GetBytes(Base64Url.EncodeToString(json.ToArray()));
    }
}

/// <summary>
/// Loads and decrypts the signing key once per container and re-reads it every <c>ttl</c>, so a rotation takes effect
/// everywhere within one TTL. When a re-read fails the current key keeps signing (it stays valid in IVS for the whole
/// retention window the rotation keeps) and the read is retried after <see cref="RetryAfterFailure"/>.
/// Safe for concurrent callers.
/// </summary>
public sealed class SigningKeyCache : IDisposable
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly ITokenSigningKeyStore _store;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Entry? _entry;

    public SigningKeyCache(ITokenSigningKeyStore store, TimeSpan ttl, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        _store = store;
        _ttl = ttl;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Ttl => _ttl;

    public ValueTask<SigningMaterial> GetAsync(CancellationToken cancellationToken)
    {
        var entry = _entry;
        return entry is not null && _time.GetUtcNow() < entry.RefreshAt
            ? ValueTask.FromResult(entry.Material)
            : new ValueTask<SigningMaterial>(RefreshAsync(cancellationToken));
    }

    private async Task<SigningMaterial> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var entry = _entry;
            var now = _time.GetUtcNow();
            if (entry is not null && now < entry.RefreshAt)
            {
                return entry.Material;
            }

            TokenSigningKey? stored;
            try
            {
                stored = await _store.GetAsync(cancellationToken);
            }
            catch (Exception e) when (entry is not null && e is not OperationCanceledException)
            {
                _entry = entry with { RefreshAt = now + RetryAfterFailure };
                return entry.Material;
            }
            catch (Exception e) when (e is not OperationCanceledException and not TokenSigningUnavailableException)
            {
                throw new TokenSigningUnavailableException("The token signing key could not be read.", e);
            }

            if (stored is null)
            {
                // Nothing stored: never provisioned, or torn down. Keep no stale key: its public half may be gone.
                _entry = null;
                throw new TokenSigningUnavailableException("No token signing key is provisioned yet (run the key rotation).");
            }

            var material = entry is not null && entry.Material.Source.SameKeyAs(stored) ? entry.Material : Import(stored);

            // The replaced ECDsa is left to the GC rather than disposed: a concurrent caller may still be signing with it.
            _entry = new Entry(material, now + _ttl);
            return material;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private static SigningMaterial Import(TokenSigningKey stored)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(stored.Pkcs8PrivateKey, out _);
            if (key.KeySize != 384)
            {
                throw new TokenSigningUnavailableException($"The token signing key for {stored.KeyArn} is not a P-384 key.");
            }

            return new SigningMaterial(stored, key);
        }
        catch (CryptographicException)
        {
            key.Dispose();

            // No inner exception and no key bytes: the message goes to logs.
            throw new TokenSigningUnavailableException($"The token signing key for {stored.KeyArn} is not a valid PKCS#8 EC private key.");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public void Dispose() => _refresh.Dispose();

    private sealed record Entry(SigningMaterial Material, DateTimeOffset RefreshAt);
}
