using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Tokens;

/// <summary>
/// Checks a participant token presented on join, as IVS does: ES384 signature under the emulator key
/// or under an imported public key named by <c>kid</c>, lifetime, and the required claims.
/// Call under the state lock (it reads the imported keys).
/// </summary>
public static class ParticipantTokenVerifier
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(14);

    public static ParticipantTokenClaims Verify(string token, EmulatorState state, ParticipantTokenSigner signer, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw Denied("The participant token is not a JWT.");
        }

        JsonObject header;
        JsonObject payload;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
            payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw Denied("The participant token is malformed.");
        }

        if (Text(header, "alg") != "ES384")
        {
            throw Denied("The participant token must be signed with ES384.");
        }

        var kid = Text(header, "kid");
        var key = kid == ParticipantTokenSigner.KeyId
            ? signer.VerificationKey
            : kid is not null && state.PublicKeys.TryGetValue(kid, out var imported)
                ? imported.Key
                : throw Denied($"The participant token's signing key '{kid}' is unknown or was deleted.");

        var signingInput = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        if (!key.VerifyData(signingInput, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw Denied("The participant token signature is invalid.");
        }

        var claims = ReadClaims(payload);
        if (claims.ExpiresAt <= now)
        {
            throw Denied("The participant token has expired.");
        }

        if (claims.ExpiresAt - claims.IssuedAt > MaxLifetime)
        {
            throw Denied("The participant token lifetime exceeds 14 days.");
        }

        return claims;
    }

    private static ParticipantTokenClaims ReadClaims(JsonObject payload)
    {
        try
        {
            var capabilities = payload["capabilities"]?.AsObject() ?? throw Denied("The participant token has no capabilities claim.");
            var participantId = Text(payload, "jti") ?? throw Denied("The participant token has no jti claim.");
            if (participantId.Length is 0 or > 64 || !participantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw Denied("The participant token's jti must be 1..64 of [A-Za-z0-9_-].");
            }

            var stageArn = Text(payload, "resource") ?? throw Denied("The participant token has no resource claim.");
            if (Text(payload, "topic") != ResourceIds.IdOf(stageArn))
            {
                throw Denied("The participant token's topic does not match its resource.");
            }

            if (Text(payload, "version") != "1.0")
            {
                throw Denied("The participant token's version must be \"1.0\".");
            }

            var userId = Text(payload, "user_id");
            if (userId is { Length: > 128 })
            {
                throw Denied("The participant token's user_id exceeds 128 characters.");
            }

            var attributes = payload["attributes"]?.AsObject()
                .ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal)
                ?? new Dictionary<string, string>(StringComparer.Ordinal);
            if (RequestReader.AttributesSize(attributes) > 1024)
            {
                throw Denied("The participant token's attributes exceed 1 KB.");
            }

            return new ParticipantTokenClaims(
                participantId,
                stageArn,
                Text(payload, "events_url") ?? throw Denied("The participant token has no events_url claim."),
                Text(payload, "whip_url") ?? throw Denied("The participant token has no whip_url claim."),
                capabilities["allow_publish"]?.GetValue<bool>() ?? false,
                capabilities["allow_subscribe"]?.GetValue<bool>() ?? false,
                userId,
                attributes,
                DateTimeOffset.FromUnixTimeSeconds(
                    payload["iat"]?.GetValue<long>() ?? throw Denied("The participant token has no iat claim.")),
                DateTimeOffset.FromUnixTimeSeconds(
                    payload["exp"]?.GetValue<long>() ?? throw Denied("The participant token has no exp claim.")));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw Denied("The participant token has a claim of the wrong type.");
        }
    }

    /// <summary>The <c>kid</c> of a token's header, or null when it has none or is not a JWT.</summary>
    public static string? KeyIdOf(string token)
    {
        var header = token.Split('.')[0];
        try
        {
            return JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(header)) is JsonObject json ? Text(json, "kid") : null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static IvsException Denied(string message) => IvsException.AccessDenied(message);
}
