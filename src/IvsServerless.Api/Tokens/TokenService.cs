using System.Text;
using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using Ivs = IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tokens;

/// <summary>
/// Issues participant tokens: <see cref="TokenPolicy"/> decides, the configured <see cref="IParticipantTokenMinter"/>
/// (IVS API or self-signed) mints exactly what was granted.
/// The token is a bearer secret: it is returned, never logged or put in an exception.
/// </summary>
public sealed class TokenService(IStageStore store, Ivs.IIvsRealTimeClient ivs, TokenPolicy policy, IParticipantTokenMinter minter)
{
    public async Task<TokenView> IssueAsync(Caller caller, string stageId, CreateTokenBody body, CancellationToken ct)
    {
        var request = ToRequest(body);
        var stage = await store.FindAsync(stageId, ct).ConfigureAwait(false);
        var decision = policy.Decide(stage, caller, request);
        var grant = decision.Grant ?? throw Refusal(decision);

        if (minter.NeedsStageEndpoints && stage!.Endpoints is null)
        {
            stage = await CacheEndpointsAsync(stage, ct).ConfigureAwait(false);
        }

        var minted = await minter.MintAsync(stage!, grant, ct).ConfigureAwait(false);
        return new TokenView
        {
            Token = minted.Token,
            ParticipantId = minted.ParticipantId,
            ExpirationTime = minted.ExpiresAt,
            Capabilities = TokenCapabilities.Names(grant.Capabilities),
        };
    }

    /// <summary>
    /// Stages stored before endpoints were cached: read them from IVS once and keep them on the stage record. A lost
    /// race only skips the write (the next token retries it); the endpoints read are right either way.
    /// </summary>
    private async Task<Stage> CacheEndpointsAsync(Stage stage, CancellationToken ct)
    {
        Ivs.GetStageResponse response;
        try
        {
            response = await ivs.GetStageAsync(new Ivs.GetStageRequest { Arn = stage.StageArn }, ct).ConfigureAwait(false);
        }
        catch (Ivs.ResourceNotFoundException)
        {
            throw NotFoundException.Stage();
        }

        var endpoints = StageEndpointsOf(response.Stage)
            ?? throw new InvalidOperationException($"IVS returned no events/whip endpoints for stage {stage.StageId}.");
        var updated = stage with { Endpoints = endpoints, Version = stage.Version + 1 };
        try
        {
            await store.UpdateAsync(updated, ct).ConfigureAwait(false);
            return updated;
        }
        catch (StageConflictException)
        {
            return stage with { Endpoints = endpoints };
        }
    }

    /// <summary>The endpoints a self-signed token needs, or null when IVS did not return both.</summary>
    public static StageEndpoints? StageEndpointsOf(Ivs.Stage? stage) =>
        stage?.Endpoints is { Events: { Length: > 0 } events, Whip: { Length: > 0 } whip } ? new StageEndpoints(events, whip) : null;

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
            && attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value ?? "")) > TokenPolicy.MaxAttributesBytes)
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
        TokenDenial.NotAllowedToJoin => new ForbiddenException("not-allowed-to-join", decision.Reason!),
        TokenDenial.CapabilityNotAllowed => new ForbiddenException("capability-not-allowed", decision.Reason!),
        TokenDenial.InvalidDuration => new RequestValidationException("validation-failed", decision.Reason!,
            new Dictionary<string, string[]> { ["durationMinutes"] = [decision.Reason!] }),
        _ => new RequestValidationException("validation-failed", decision.Reason!,
            new Dictionary<string, string[]> { ["attributes"] = [decision.Reason!] }),
    };
}
