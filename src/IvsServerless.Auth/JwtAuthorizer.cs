using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IvsServerless.LocalHost.Auth;

/// <summary>What an API Gateway HTTP API JWT authorizer is configured with.</summary>
/// <param name="Issuer">Compared to the token's <c>iss</c> exactly.</param>
/// <param name="Audiences">The token's <c>aud</c> (or, without <c>aud</c>, its <c>client_id</c>) must be one of these.</param>
public sealed record JwtAuthorizerOptions(string Issuer, IReadOnlyList<string> Audiences);

/// <summary>The outcome: the claims to pass to the integration, or why the request gets 401.</summary>
public sealed record JwtAuthorization
{
    private JwtAuthorization(IDictionary<string, string>? claims, string? error)
    {
        Claims = claims;
        Error = error;
    }

    public bool IsAuthorized => Claims is not null;

    /// <summary>Every claim as a string, as API Gateway passes them in <c>requestContext.authorizer.jwt.claims</c>.</summary>
    public IDictionary<string, string>? Claims { get; }

    /// <summary>Why the token was refused (the <c>error_description</c> of <c>www-authenticate</c>); never the token itself.</summary>
    public string? Error { get; }

    public static JwtAuthorization Allow(IDictionary<string, string> claims) => new(claims, null);

    public static JwtAuthorization Deny(string error) => new(null, error);
}

/// <summary>
/// Validates a bearer JWT the way the API Gateway HTTP API JWT authorizer does: the identity source is the
/// <c>Authorization</c> header, holding the token alone or prefixed with <c>Bearer</c>; only RSA algorithms; the
/// header's <c>kid</c> must name a key of the issuer's JWKS and that key must verify the signature; <c>iss</c> must
/// equal the configured issuer; <c>aud</c> — or <c>client_id</c> when there is no <c>aud</c> — must match a
/// configured audience; <c>exp</c> must be after now, <c>nbf</c> and <c>iat</c> not after now.
/// </summary>
public sealed class JwtAuthorizer(JwtAuthorizerOptions options, ISigningKeySource keys, TimeProvider? time = null)
{
    private static readonly HashSet<string> RsaAlgorithms = ["RS256", "RS384", "RS512"];
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public JwtAuthorizerOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <param name="authorization">The <c>Authorization</c> header as received (null when absent).</param>
    public async Task<JwtAuthorization> AuthorizeAsync(string? authorization, CancellationToken cancellationToken)
    {
        var token = TokenOf(authorization);
        if (token is null)
        {
            return JwtAuthorization.Deny("no bearer token in the Authorization header");
        }

        JsonWebToken jwt;
        JsonElement payload;
        try
        {
            jwt = new JsonWebToken(token);
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedPayload));
            payload = document.RootElement.Clone();
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            return JwtAuthorization.Deny("the token is not a valid JWT");
        }

        if (payload.ValueKind != JsonValueKind.Object)
        {
            return JwtAuthorization.Deny("the token is not a valid JWT");
        }

        if (!RsaAlgorithms.Contains(jwt.Alg))
        {
            return JwtAuthorization.Deny($"signing method {Printable(jwt.Alg)} is not supported (RS256, RS384, RS512 only)");
        }

        if (string.IsNullOrEmpty(jwt.Kid))
        {
            return JwtAuthorization.Deny("the token has no kid header");
        }

        JsonWebKey? key;
        try
        {
            key = await keys.FindAsync(jwt.Kid, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or ArgumentException
            or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return JwtAuthorization.Deny("the issuer's keys (jwks_uri) could not be fetched");
        }

        if (key is null)
        {
            return JwtAuthorization.Deny("no key of the issuer's JWKS matches the token's kid");
        }

        if (!HasValidSignature(jwt, jwt.Alg, key))
        {
            return JwtAuthorization.Deny("the token's signature is not valid");
        }

        if (StringClaim(payload, "iss") != Options.Issuer)
        {
            return JwtAuthorization.Deny("the token does not have a valid issuer");
        }

        if (!HasValidAudience(payload))
        {
            return JwtAuthorization.Deny("the token does not have a valid audience");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (NumericClaim(payload, "exp") is not { } exp)
        {
            return JwtAuthorization.Deny("the token has no valid exp claim");
        }

        if (exp <= now)
        {
            return JwtAuthorization.Deny("the token has expired");
        }

        if (payload.TryGetProperty("nbf", out _) && !(NumericClaim(payload, "nbf") <= now))
        {
            return JwtAuthorization.Deny("the token is not valid yet (nbf)");
        }

        if (payload.TryGetProperty("iat", out _) && !(NumericClaim(payload, "iat") <= now))
        {
            return JwtAuthorization.Deny("the token was issued in the future (iat)");
        }

        return JwtAuthorization.Allow(ClaimsOf(payload));
    }

    /// <summary>The token from the header: the whole value, or what follows the <c>Bearer</c> scheme.</summary>
    internal static string? TokenOf(string? authorization)
    {
        var value = authorization?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return value.Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? null : value;
        }

        // RFC 6750: the scheme name is case-insensitive. Any other scheme is not a bearer token.
        return value[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase) && value[(space + 1)..].Trim() is { Length: > 0 } token
            ? token
            : null;
    }

    /// <summary>
    /// API Gateway passes every claim as a string: numbers and booleans as their JSON text, arrays as
    /// <c>[a b c]</c>, objects as JSON.
    /// </summary>
    internal static Dictionary<string, string> ClaimsOf(JsonElement payload)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in payload.EnumerateObject())
        {
            if (claim.Value.ValueKind != JsonValueKind.Null)
            {
                claims[claim.Name] = AsClaimString(claim.Value);
            }
        }

        return claims;
    }

    private static string AsClaimString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => "[" + string.Join(' ', value.EnumerateArray().Select(AsClaimString)) + "]",
        _ => value.GetRawText(),
    };

    /// <summary>RSASSA-PKCS1-v1_5 over <c>header.payload</c> with the JWK's public key (RFC 7518 §3.3).</summary>
    private static bool HasValidSignature(JsonWebToken jwt, string algorithm, JsonWebKey key)
    {
        try
        {
            using var rsa = RSA.Create(
                new RSAParameters { Modulus = Base64Url.DecodeFromChars(key.N), Exponent = Base64Url.DecodeFromChars(key.E) });
            var hash = algorithm switch
            {
                "RS384" => HashAlgorithmName.SHA384,
                "RS512" => HashAlgorithmName.SHA512,
                _ => HashAlgorithmName.SHA256,
            };
            return rsa.VerifyData(
                Encoding.ASCII.GetBytes(jwt.EncodedHeader + "." + jwt.EncodedPayload),
                Base64Url.DecodeFromChars(jwt.EncodedSignature),
                hash,
                RSASignaturePadding.Pkcs1);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            // A key or signature that does not even decode verifies nothing.
            return false;
        }
    }

    private bool HasValidAudience(JsonElement payload)
    {
        // API Gateway evaluates aud when present, and client_id only when there is no aud.
        if (payload.TryGetProperty("aud", out var aud))
        {
            var values = aud.ValueKind switch
            {
                JsonValueKind.String => [aud.GetString()],
                JsonValueKind.Array => aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()),
                _ => [],
            };
            return values.Any(a => a is not null && Options.Audiences.Contains(a, StringComparer.Ordinal));
        }

        return StringClaim(payload, "client_id") is { } clientId && Options.Audiences.Contains(clientId, StringComparer.Ordinal);
    }

    private static string? StringClaim(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? NumericClaim(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        return value.TryGetInt64(out var whole)
            ? whole
            : double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var fractional)
                && double.IsFinite(fractional)
                ? (long)Math.Floor(fractional)
                : null;
    }

    // The algorithm comes from the caller: keep what is echoed into a header short and plain.
    private static string Printable(string? value) =>
        string.IsNullOrEmpty(value) ? "(none)" : new string([.. value.Take(16).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '?')]);
}
