using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IvsServerless.IvsEmulator.Tokens;

/// <summary>
/// Mints the tokens <c>CreateParticipantToken</c> returns: real ES384 JWTs under a P-384 key that
/// lives only in this emulator instance, carrying the claims real tokens carry, so a client can
/// decode them and the simulation surface can verify them on join.
/// </summary>
public sealed class ParticipantTokenSigner : IDisposable
{
    /// <summary>The <c>kid</c> of emulator-minted tokens (self-signed tokens carry a public-key ARN instead).</summary>
    public const string KeyId = "ivs-emulator";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    /// <summary>The verification key in SPKI PEM form, for clients that want to check signatures.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    internal ECDsa VerificationKey => _key;

    public string Mint(ParticipantTokenClaims claims)
    {
        var header = new JsonObject { ["alg"] = "ES384", ["typ"] = "JWT", ["kid"] = KeyId };
        return Jwt.Sign(header, claims.ToJson(), _key);
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>The claims of a participant token, as IVS defines them for self-signed tokens.</summary>
public sealed record ParticipantTokenClaims(
    string ParticipantId,
    string StageArn,
    string EventsUrl,
    string WhipUrl,
    bool AllowPublish,
    bool AllowSubscribe,
    string? UserId,
    IReadOnlyDictionary<string, string> Attributes,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    public JsonObject ToJson()
    {
        var attributes = new JsonObject();
        foreach (var (key, value) in Attributes)
        {
            attributes[key] = value;
        }

        var json = new JsonObject
        {
            ["exp"] = ExpiresAt.ToUnixTimeSeconds(),
            ["iat"] = IssuedAt.ToUnixTimeSeconds(),
            ["jti"] = ParticipantId,
            ["resource"] = StageArn,
            ["topic"] = State.ResourceIds.IdOf(StageArn),
            ["events_url"] = EventsUrl,
            ["whip_url"] = WhipUrl,
            ["capabilities"] = new JsonObject { ["allow_publish"] = AllowPublish, ["allow_subscribe"] = AllowSubscribe },
            ["attributes"] = attributes,
            ["version"] = "1.0",
        };
        if (UserId is not null)
        {
            json["user_id"] = UserId;
        }

        return json;
    }
}

/// <summary>Compact JWS (RFC 7515) with ES384: base64url(header).base64url(payload).base64url(r||s).</summary>
public static class Jwt
{
    public static string Sign(JsonObject header, JsonObject payload, ECDsa key)
    {
        var signingInput =
            $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()))}."
            + $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var signature = key.SignData(
            Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }
}
