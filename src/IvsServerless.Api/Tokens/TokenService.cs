using System.Text;
using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Quotas;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Tokens;

/// <summary>
/// Issues participant tokens: <see cref="TokenPolicy"/> decides, the configured <see cref="IParticipantTokenMinter"/>
/// (IVS API or self-signed) mints exactly what was granted.
/// The token is a bearer secret: it is returned, never logged or put in an exception.
/// </summary>
public sealed class TokenService(
    IStageStore store, StageEndpointResolver endpoints, TokenPolicy policy, IParticipantTokenMinter minter, UserQuotas quotas)
{
    public async Task<TokenView> IssueAsync(Caller caller, string stageId, CreateTokenBody body, CancellationToken ct)
    {
        var request = ToRequest(body);
        var stage = await store.FindAsync(stageId, ct);
        var decision = policy.Decide(stage, caller, request);
        var grant = decision.Grant ?? throw Refusal(decision);

        // Counted once granted: refusals cost the caller nothing, every token minted counts.
        await quotas.CountTokenMintAsync(caller.UserId, ct);

        MintedToken minted;
        try
        {
            if (minter.NeedsStageEndpoints)
            {
                stage = await endpoints.WithEndpointsAsync(stage!, ct);
            }

            minted = await minter.MintAsync(stage!, grant, ct);
        }
        catch (IvsResourceNotFoundException)
        {
            // Deleted in IVS but not yet in our store (or the reverse race): same answer as a missing stage.
            throw NotFoundException.Stage();
        }

        return new TokenView
        {
            Token = minted.Token,
            ParticipantId = minted.ParticipantId,
            ExpirationTime = minted.ExpiresAt,
            Capabilities = TokenCapabilities.Names(grant.Capabilities),
        };
    }

    /// <summary>
    /// Token exchange: the caller's current token (signed by this deployment, for this stage, theirs, not expired) becomes a
    /// new one for the same participant, with what the one token policy grants the caller now (so a co-host removed gets
    /// subscribe-only, a banned user nothing). Self-signed mode only: IVS exchanges no other tokens.
    /// </summary>
    public async Task<TokenView> ExchangeAsync(Caller caller, string stageId, ExchangeTokenBody body, CancellationToken ct)
    {
        if (minter is not IParticipantTokenExchanger exchanger)
        {
            throw new StateConflictException("exchange-needs-self-signed",
                "Token exchange needs self-signed participant tokens; this deployment mints them through the IVS API.");
        }

        if (string.IsNullOrEmpty(body.Token))
        {
            throw RequestValidationException.Field("token", "The participant's current token is required.");
        }

        var request = ToRequest(new CreateTokenBody
        {
            Capabilities = body.Capabilities,
            DurationMinutes = body.DurationMinutes,
            Attributes = body.Attributes,
        });
        var stage = await store.FindAsync(stageId, ct);
        var decision = policy.Decide(stage, caller, request);
        var grant = decision.Grant ?? throw Refusal(decision);

        PresentedParticipantToken presented;
        try
        {
            presented = await exchanger.ReadOwnAsync(body.Token, ct);
        }
        catch (InvalidParticipantTokenException e)
        {
            throw new RequestValidationException("invalid-participant-token", e.Message,
                new Dictionary<string, string[]> { ["token"] = [e.Message] });
        }

        if (presented.StageArn != stage!.StageArn || presented.StageId != stage.StageId)
        {
            throw new ForbiddenException("token-not-yours", "The token is for another stage.");
        }

        if (presented.UserId != caller.UserId)
        {
            throw new ForbiddenException("token-not-yours", "The token belongs to another user.");
        }

        var minted = await exchanger.ExchangeAsync(presented, grant, ct);
        return new TokenView
        {
            Token = minted.Token,
            ParticipantId = minted.ParticipantId,
            ExpirationTime = minted.ExpiresAt,
            Capabilities = TokenCapabilities.Names(grant.Capabilities),
        };
    }

    private static TokenRequest ToRequest(CreateTokenBody body)
    {
        ParticipantCapabilities? capabilities = null;
        if (body.Capabilities is not null)
        {
            if (body.Capabilities.Count == 0)
            {
                throw RequestValidationException.Field("capabilities", "At least one of \"PUBLISH\", \"SUBSCRIBE\".");
            }

            capabilities = ParticipantCapabilities.None;
            foreach (var capability in body.Capabilities)
            {
                capabilities |= capability switch
                {
                    "PUBLISH" => ParticipantCapabilities.Publish,
                    "SUBSCRIBE" => ParticipantCapabilities.Subscribe,
                    _ => throw RequestValidationException.Field("capabilities", "Only \"PUBLISH\" and \"SUBSCRIBE\"."),
                };
            }
        }

        // The policy drops keys outside its allow-list before measuring; refuse oversized input outright
        // so a caller learns early instead of having attributes silently vanish.
        if (body.Attributes is { } attributes
            && attributes.Sum(
                a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value ?? "")) > TokenPolicy.MaxAttributesBytes)
        {
            throw RequestValidationException.Field("attributes", $"At most {TokenPolicy.MaxAttributesBytes} bytes in total.");
        }

        if (body.Attributes?.Values.Any(v => v is null) == true)
        {
            throw RequestValidationException.Field("attributes", "Values must be strings.");
        }

        return new TokenRequest(capabilities,
            body.DurationMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            body.Attributes);
    }

    private static ApiException Refusal(TokenDecision decision) => decision.Denial switch
    {
        TokenDenial.StageNotFound => NotFoundException.Stage(),
        TokenDenial.Banned => new ForbiddenException("banned", decision.Reason!),
        TokenDenial.NotAllowedToJoin => new ForbiddenException("not-allowed-to-join", decision.Reason!),
        TokenDenial.CapabilityNotAllowed => new ForbiddenException("capability-not-allowed", decision.Reason!),
        TokenDenial.InvalidDuration => new RequestValidationException("validation-failed", decision.Reason!,
            new Dictionary<string, string[]> { ["durationMinutes"] = [decision.Reason!] }),
        TokenDenial.ReservedAttribute => new RequestValidationException("validation-failed", decision.Reason!,
            new Dictionary<string, string[]> { [decision.Field ?? "attributes"] = [decision.Reason!] }),
        _ => new RequestValidationException("validation-failed", decision.Reason!,
            new Dictionary<string, string[]> { ["attributes"] = [decision.Reason!] }),
    };
}
