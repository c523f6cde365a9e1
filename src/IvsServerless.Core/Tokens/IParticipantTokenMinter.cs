using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Tokens;

/// <summary>
/// Turns a <see cref="TokenGrant"/> the <see cref="TokenPolicy"/> decided into a participant token. Two adapters:
/// the IVS API (<c>CreateParticipantToken</c>, one call per token, 50 TPS per account) and self-signed ES384 JWTs
/// (no call per token). The policy is the same for both; only the minting differs.
/// </summary>
public interface IParticipantTokenMinter
{
    /// <summary>Whether <see cref="MintAsync"/> needs <see cref="Stage.Endpoints"/> (self-signed tokens carry them).</summary>
    bool NeedsStageEndpoints { get; }

    Task<MintedToken> MintAsync(Stage stage, TokenGrant grant, CancellationToken cancellationToken);
}

/// <summary>A minted participant token. <see cref="Token"/> is a bearer secret: never log it.</summary>
public sealed record MintedToken(string Token, string ParticipantId, DateTimeOffset ExpiresAt)
{
    // Records print every member; a token must not reach a log through ToString.
    public override string ToString() => $"MintedToken {{ ParticipantId = {ParticipantId}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>How participant tokens are minted (environment <c>TOKEN_MODE</c>).</summary>
public enum TokenMintingMode
{
    /// <summary><c>api</c>: IVS <c>CreateParticipantToken</c>.</summary>
    Api,

    /// <summary><c>self-signed</c>: ES384 JWTs signed with a key whose public half was imported with <c>ImportPublicKey</c>.</summary>
    SelfSigned,
}

public static class TokenMintingModes
{
    public const string Api = "api";
    public const string SelfSigned = "self-signed";

    public static bool TryParse(string? value, out TokenMintingMode mode)
    {
        switch (value)
        {
            case null or "" or Api:
                mode = TokenMintingMode.Api;
                return true;
            case SelfSigned:
                mode = TokenMintingMode.SelfSigned;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}
