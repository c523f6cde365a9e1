using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace IvsServerless.LocalHost.Auth;

/// <summary>Where the authorizer finds the public key named by a token's <c>kid</c>.</summary>
public interface ISigningKeySource
{
    /// <returns>The RSA signing key with that id, or null when the issuer has none.</returns>
    ValueTask<JsonWebKey?> FindAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>A fixed key set (tests; an issuer whose keys are known up front).</summary>
public sealed class StaticSigningKeys(JsonWebKeySet keys) : ISigningKeySource
{
    public ValueTask<JsonWebKey?> FindAsync(string keyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SigningKeys.Find(keys, keyId));
}

/// <summary>
/// The issuer's keys as API Gateway gets them: the discovery document at
/// <c>{issuer}/.well-known/openid-configuration</c> names the <c>jwks_uri</c>, whose keys are cached. An unknown
/// <c>kid</c> refetches (keys rotate), at most once per <see cref="MinRefreshInterval"/> so that junk tokens cannot
/// make every request a fetch.
/// </summary>
public sealed class OidcSigningKeys(HttpClient http, string issuer, TimeProvider? time = null) : ISigningKeySource, IDisposable
{
    /// <summary>API Gateway may cache an issuer's public keys for two hours.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromHours(2);

    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private JsonWebKeySet? _keys;
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public async ValueTask<JsonWebKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_keys is { } cached && now - _fetchedAt < CacheLifetime && SigningKeys.Find(cached, keyId) is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_keys is null || now - _fetchedAt >= MinRefreshInterval)
            {
                _keys = await FetchAsync(cancellationToken);
                _fetchedAt = _time.GetUtcNow();
            }

            return SigningKeys.Find(_keys, keyId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<JsonWebKeySet> FetchAsync(CancellationToken cancellationToken)
    {
        var discoveryUrl = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        using var discovery = JsonDocument.Parse(await http.GetStringAsync(new Uri(discoveryUrl), cancellationToken));
        var jwksUri = discovery.RootElement.TryGetProperty("jwks_uri", out var uri) && uri.ValueKind == JsonValueKind.String
            ? uri.GetString()!
            : throw new InvalidOperationException($"The discovery document at {discoveryUrl} has no jwks_uri.");
        return new JsonWebKeySet(await http.GetStringAsync(new Uri(jwksUri), cancellationToken));
    }
}

internal static class SigningKeys
{
    /// <summary>An RSA key with that id meant for signatures (<c>use</c> absent or <c>sig</c>).</summary>
    public static JsonWebKey? Find(JsonWebKeySet keys, string keyId) => keys.Keys.FirstOrDefault(k =>
        string.Equals(k.Kid, keyId, StringComparison.Ordinal)
        && k.Kty == JsonWebAlgorithmsKeyTypes.RSA
        && (string.IsNullOrEmpty(k.Use) || k.Use == JsonWebKeyUseNames.Sig));
}
