using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IvsServerless.LocalHost.Auth;

/// <summary>A user token minted by <see cref="DevTokenIssuer"/>.</summary>
public sealed record DevToken(string Token, int ExpiresIn, string UserName);

/// <summary>
/// The local OIDC issuer: an RSA key made at start (never stored), its discovery document and JWKS, and user
/// tokens for any user name — the stand-in for Cognito or another OIDC provider. For local use only: anyone who
/// can reach it can be anyone.
/// </summary>
public sealed partial class DevTokenIssuer : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly SigningCredentials _signing;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    public DevTokenIssuer(string issuer, string audience, TimeProvider? time = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        Issuer = issuer;
        Audience = audience;
        _time = time ?? TimeProvider.System;
        Lifetime = lifetime ?? TimeSpan.FromHours(1);
        KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _signing = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256);
    }

    public string Issuer { get; }

    public string Audience { get; }

    public string KeyId { get; }

    public TimeSpan Lifetime { get; }

    public string JwksUri => Issuer + "/.well-known/jwks.json";

    /// <summary>User names: 1-64 of letters, digits and <c>_ . @ -</c>; they become the <c>sub</c> claim (the user id).</summary>
    public static bool IsValidUserName(string? userName) => userName is not null && UserName().IsMatch(userName);

    /// <summary>A signed RS256 token for <paramref name="userName"/> (<c>sub</c>), valid from now for <see cref="Lifetime"/>.</summary>
    public DevToken Mint(string userName)
    {
        if (!IsValidUserName(userName))
        {
            throw new ArgumentException("A user name is 1-64 letters, digits or _ . @ -.", nameof(userName));
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = userName,
                ["preferred_username"] = userName,
                ["token_use"] = "access",
                ["jti"] = Guid.NewGuid().ToString(),
            },
            SigningCredentials = _signing,
        });
        return new DevToken(token, (int)Lifetime.TotalSeconds, userName);
    }

    /// <summary>The OpenID Connect discovery document API Gateway (and our front) reads to find the keys.</summary>
    public JsonObject DiscoveryDocument() => new()
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = JwksUri,
        ["token_endpoint"] = Issuer + "/dev/token",
        ["response_types_supported"] = new JsonArray("token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nbf", "jti", "preferred_username"),
    };

    /// <summary>The public key as a JWK set.</summary>
    public JsonObject Jwks()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url.EncodeToString(parameters.Modulus),
                ["e"] = Base64Url.EncodeToString(parameters.Exponent),
            }),
        };
    }

    public void Dispose() => _key.Dispose();

    [GeneratedRegex("^[A-Za-z0-9_.@-]{1,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex UserName();
}
