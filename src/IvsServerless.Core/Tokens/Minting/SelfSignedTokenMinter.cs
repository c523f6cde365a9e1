using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
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
public sealed class SelfSignedTokenMinter(SigningKeyCache keys, TimeProvider? time = null)
    : IParticipantTokenMinter, IParticipantTokenExchanger
{
    public const int ParticipantIdLength = 12;
    private const string ParticipantIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    // P1363 r||s for P-384: two 48-byte integers.
    private const int SignatureBytes = 96;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // The public halves of the keys this container has signed with, by ARN (kid): a token signed before a rotation still
    // verifies for exchange while its key is retained. A container started after a rotation knows only the current key.
    private readonly ConcurrentDictionary<string, ECDsa> _seenKeys = new(StringComparer.Ordinal);

    public bool NeedsStageEndpoints => true;

    public async Task<MintedToken> MintAsync(Stage stage, TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(grant);
        var key = await CurrentKeyAsync(cancellationToken);
        return Mint(key, stage, grant);
    }

    public async Task<PresentedParticipantToken> ReadOwnAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var current = await CurrentKeyAsync(cancellationToken);
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || !Base64Url.IsValid(p)))
        {
            throw new InvalidParticipantTokenException("The token is not a JWT.");
        }

        string? kid;
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            kid = header.RootElement.GetProperty("alg").GetString() == "ES384" && header.RootElement.TryGetProperty("kid", out var k)
                ? k.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidParticipantTokenException("The token's header is not valid.");
        }

        var verifier = kid is null ? null : kid == current.KeyArn ? current.Key : _seenKeys.GetValueOrDefault(kid);
        var signature = Base64Url.DecodeFromChars(parts[2]);
        if (verifier is null
            || signature.Length != SignatureBytes
            || !verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA384,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new InvalidParticipantTokenException("The token is not signed by a current or retained key of this deployment.");
        }

        PresentedParticipantToken presented;
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var claims = payload.RootElement;
            string Text(string name) => claims.GetProperty(name).GetString() ?? throw new InvalidOperationException(name);
            presented = new PresentedParticipantToken(Text("jti"), Text("user_id"), Text("resource"), Text("topic"),
                Text("events_url"), Text("whip_url"), DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64()));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException
            or ArgumentOutOfRangeException)
        {
            throw new InvalidParticipantTokenException("The token's claims are not valid.");
        }

        return presented.ExpiresAt <= _time.GetUtcNow()
            ? throw new InvalidParticipantTokenException("The token has expired; mint a new one.")
            : presented;
    }

    public async Task<MintedToken> ExchangeAsync(PresentedParticipantToken presented, TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var key = await CurrentKeyAsync(cancellationToken);
        return Mint(key, new TokenTarget(presented.StageArn, presented.StageId, presented.EventsUrl, presented.WhipUrl), grant,
            presented.ParticipantId);
    }

    /// <summary>The synchronous core, once the key is loaded (what the benchmark measures).</summary>
    public MintedToken Mint(SigningMaterial key, Stage stage, TokenGrant grant)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(grant);
        var endpoints = stage.Endpoints ?? throw new InvalidOperationException($"Stage {stage.StageId} has no cached endpoints.");
        return Mint(key, new TokenTarget(stage.StageArn, stage.StageId, endpoints.Events, endpoints.Whip), grant,
            RandomNumberGenerator.GetString(ParticipantIdAlphabet, ParticipantIdLength));
    }

    private async Task<SigningMaterial> CurrentKeyAsync(CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(cancellationToken);
        if (!_seenKeys.ContainsKey(key.KeyArn))
        {
            _seenKeys.TryAdd(key.KeyArn, ECDsa.Create(key.Key.ExportParameters(includePrivateParameters: false)));
        }

        return key;
    }

    private MintedToken Mint(SigningMaterial key, TokenTarget target, TokenGrant grant, string participantId)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var issuedAt = _time.GetUtcNow().ToUnixTimeSeconds();
        var expiresAt = issuedAt + (long)grant.Duration.TotalSeconds;

        var payload = new ArrayBufferWriter<byte>(512 + target.StageArn.Length * 2);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteNumber("exp"u8, expiresAt);
            json.WriteNumber("iat"u8, issuedAt);
            json.WriteString("jti"u8, participantId);
            json.WriteString("user_id"u8, grant.UserId);
            json.WriteString("resource"u8, target.StageArn);
            json.WriteString("topic"u8, target.StageId);
            json.WriteString("events_url"u8, target.EventsUrl);
            json.WriteString("whip_url"u8, target.WhipUrl);
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

/// <summary>Where a token admits its holder: the stage (ARN and id) and its endpoints.</summary>
internal sealed record TokenTarget(string StageArn, string StageId, string EventsUrl, string WhipUrl);
