using IvsServerless.Core.Tokens;

namespace IvsServerless.Core.Ivs;

/// <summary>IVS <c>CreateParticipantToken</c>: one call per token (the IVS-API token minter).</summary>
public interface IParticipantTokenIssuer
{
    /// <summary>
    /// A token with exactly the grant's contents. <see cref="IvsResourceNotFoundException"/> when the stage is gone.
    /// </summary>
    Task<IssuedParticipantToken> CreateParticipantTokenAsync(string stageArn, TokenGrant grant, CancellationToken cancellationToken);
}

/// <summary>What IVS returned for a token. <see cref="Token"/> is a bearer secret: never log it.</summary>
public sealed record IssuedParticipantToken(string Token, string? ParticipantId, DateTimeOffset? ExpirationTime)
{
    // Records print every member; a token must not reach a log through ToString.
    public override string ToString() =>
        $"IssuedParticipantToken {{ ParticipantId = {ParticipantId}, ExpirationTime = {ExpirationTime:O} }}";
}
