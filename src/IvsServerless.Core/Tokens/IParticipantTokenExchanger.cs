namespace IvsServerless.Core.Tokens;

/// <summary>
/// Token exchange (self-signed tokens only: IVS exchanges no other kind): reads a token this deployment signed and mints its
/// successor for the same participant — <c>topic</c>, <c>resource</c>, <c>jti</c>, <c>whip_url</c> and <c>events_url</c>
/// copied, capabilities, attributes, <c>iat</c> and <c>exp</c> new.
/// </summary>
public interface IParticipantTokenExchanger
{
    /// <summary>
    /// The claims of a token signed by this deployment's current key or one it still retains, not expired.
    /// <see cref="InvalidParticipantTokenException"/> otherwise (not a JWT, another key, tampered, expired).
    /// </summary>
    Task<PresentedParticipantToken> ReadOwnAsync(string token, CancellationToken cancellationToken);

    /// <summary>The presented token's successor, with exactly the grant's capabilities, attributes and duration.</summary>
    Task<MintedToken> ExchangeAsync(PresentedParticipantToken presented, TokenGrant grant, CancellationToken cancellationToken);
}

/// <summary>What a presented token says; the immutable fields its successor keeps.</summary>
public sealed record PresentedParticipantToken(
    string ParticipantId, string UserId, string StageArn, string StageId, string EventsUrl, string WhipUrl, DateTimeOffset ExpiresAt);

/// <summary>The presented token is not one of this deployment's valid tokens; the message says why (never the token).</summary>
public sealed class InvalidParticipantTokenException(string message) : Exception(message);
