using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace IvsServerless.LocalHost.Tests.Support;

/// <summary>Hand-built JWTs, so each test controls every header field, claim and signature byte.</summary>
internal sealed class TestJwt : IDisposable
{
    public const string Issuer = "https://issuer.example";
    public const string Audience = "app-client";

    public RSA Key { get; } = RSA.Create(2048);

    public string KeyId { get; }

    public TestJwt(string keyId = "key-1") => KeyId = keyId;

    public JsonWebKeySet KeySet()
    {
        var p = Key.ExportParameters(false);
        return new JsonWebKeySet(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = KeyId,
                ["n"] = Base64Url.EncodeToString(p.Modulus),
                ["e"] = Base64Url.EncodeToString(p.Exponent),
            }),
        }.ToJsonString());
    }

    /// <summary>Valid claims for <paramref name="now"/>: iss, aud, sub, iat, nbf, exp (+1 h).</summary>
    public static JsonObject Claims(DateTimeOffset now, string sub = "alice") => new()
    {
        ["iss"] = Issuer,
        ["aud"] = Audience,
        ["sub"] = sub,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    public string Sign(JsonObject claims, string alg = "RS256", string? kid = null, RSA? key = null, bool includeKid = true)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (includeKid)
        {
            header["kid"] = kid ?? KeyId;
        }

        var input = Encode(header) + "." + Encode(claims);
        var hash = alg switch
        {
            "RS384" => HashAlgorithmName.SHA384,
            "RS512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        var signature = (key ?? Key).SignData(Encoding.ASCII.GetBytes(input), hash, RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>An HS256 token (a shared-secret algorithm API Gateway does not accept).</summary>
    public static string SignHmac(JsonObject claims, string kid)
    {
        var input = Encode(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = kid }) + "." + Encode(claims);
        var signature = HMACSHA256.HashData(Encoding.ASCII.GetBytes("secret-secret-secret-secret-1234"), Encoding.ASCII.GetBytes(input));
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public void Dispose() => Key.Dispose();
}
