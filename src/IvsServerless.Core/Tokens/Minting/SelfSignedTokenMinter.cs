using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IvsServerless.Core.Stages;
using IvsServerless.Core.TokenSigning;

namespace IvsServerless.Core.Tokens.Minting;

/// <summary>
/// Mints participant tokens without an IVS call: ES384 JWTs with exactly the header and claims IVS requires of
/// self-signed tokens (<c>kid</c> = imported public key ARN; <c>exp</c>, <c>iat</c>, <c>jti</c> = participant id,
/// <c>user_id</c>, <c>resource</c>, <c>topic</c>, <c>events_url</c>, <c>whip_url</c>, <c>capabilities</c>,
/// <c>attributes</c>, <c>version</c> "1.0"). Signing dominates the cost, so the rest is built in pooled buffers.
/// </summary>
public sealed class SelfSignedTokenMinter(SigningKeyCache keys, TimeProvider? time = null) : IParticipantTokenMinter
{
    public const int ParticipantIdLength = 12;
    private const string ParticipantIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    // P1363 r||s for P-384: two 48-byte integers.
    private const int SignatureBytes = 96;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public bool NeedsStageEndpoints => true;

    public async Task<MintedToken> MintAsync(Stage stage, TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(grant);
        var key = await keys.GetAsync(cancellationToken);
        return Mint(key, stage, grant);
    }

    /// <summary>The synchronous core, once the key is loaded (what the benchmark measures).</summary>
    public MintedToken Mint(SigningMaterial key, Stage stage, TokenGrant grant)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(grant);
        var endpoints = stage.Endpoints ?? throw new InvalidOperationException($"Stage {stage.StageId} has no cached endpoints.");
        var participantId = RandomNumberGenerator.GetString(ParticipantIdAlphabet, ParticipantIdLength);
        var issuedAt = _time.GetUtcNow().ToUnixTimeSeconds();
        var expiresAt = issuedAt + (long)grant.Duration.TotalSeconds;

        var payload = new ArrayBufferWriter<byte>(512 + stage.StageArn.Length * 2);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteNumber("exp"u8, expiresAt);
            json.WriteNumber("iat"u8, issuedAt);
            json.WriteString("jti"u8, participantId);
            json.WriteString("user_id"u8, grant.UserId);
            json.WriteString("resource"u8, stage.StageArn);
            json.WriteString("topic"u8, stage.StageId);
            json.WriteString("events_url"u8, endpoints.Events);
            json.WriteString("whip_url"u8, endpoints.Whip);
            json.WriteStartObject("capabilities"u8);
            json.WriteBoolean("allow_publish"u8, grant.Capabilities.HasFlag(ParticipantCapabilities.Publish));
            json.WriteBoolean("allow_subscribe"u8, grant.Capabilities.HasFlag(ParticipantCapabilities.Subscribe));
            json.WriteEndObject();
            json.WriteStartObject("attributes"u8);
            foreach (var (name, value) in grant.Attributes)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteString("version"u8, "1.0"u8);
            json.WriteEndObject();
        }

        // header.payload.signature, all base64url: one pooled buffer, one final string.
        var header = key.HeaderSegment;
        var payloadLength = Base64Url.GetEncodedLength(payload.WrittenCount);
        var signingLength = header.Length + 1 + payloadLength;
        var total = signingLength + 1 + Base64Url.GetEncodedLength(SignatureBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var span = buffer.AsSpan(0, total);
            header.CopyTo(span);
            span[header.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload.WrittenSpan, span[(header.Length + 1)..signingLength]);

            Span<byte> signature = stackalloc byte[SignatureBytes];
            var written = key.Key.SignData(
                span[..signingLength], signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            span[signingLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature[..written], span[(signingLength + 1)..]);
            var token = Encoding.ASCII.GetString(span);
            return new MintedToken(token, participantId, DateTimeOffset.FromUnixTimeSeconds(expiresAt));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
