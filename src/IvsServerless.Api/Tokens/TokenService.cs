using System.Text;
using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using Ivs = IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tokens;

/// <summary>
/// Issues participant tokens: <see cref="TokenPolicy"/> decides, IVS mints exactly what was granted.
/// The token is a bearer secret: it is returned, never logged or put in an exception.
/// </summary>
public sealed class TokenService(IStageStore store, Ivs.IIvsRealTimeClient ivs, TokenPolicy policy)
{
    public async Task<TokenView> IssueAsync(Caller caller, string stageId, CreateTokenBody body, CancellationToken ct)
    {
        var request = ToRequest(body);
        var stage = await store.FindAsync(stageId, ct).ConfigureAwait(false);
        var decision = policy.Decide(stage, caller, request);
        var grant = decision.Grant ?? throw Refusal(decision);

        Ivs.CreateParticipantTokenResponse minted;
        try
        {
            minted = await ivs.CreateParticipantTokenAsync(new Ivs.CreateParticipantTokenRequest
            {
                StageArn = stage!.StageArn,
                UserId = grant.UserId,
                Duration = (int)grant.Duration.TotalMinutes,
                Attributes = grant.Attributes,
                Capabilities = ToIvs(grant.Capabilities),
            }, ct).ConfigureAwait(false);
        }
        catch (Ivs.ResourceNotFoundException)
        {
            // Deleted in IVS but not yet in our store (or the reverse race): same answer as a missing stage.
            throw NotFoundException.Stage();
        }

        var token = minted.ParticipantToken ?? throw new InvalidOperationException("IVS returned no participant token.");
        return new TokenView
        {
            Token = token.Token ?? throw new InvalidOperationException("IVS returned no token."),
            ParticipantId = token.ParticipantId ?? "",
            ExpirationTime = token.ExpirationTime ?? DateTimeOffset.UtcNow.Add(grant.Duration),
            Capabilities = [.. ToIvs(grant.Capabilities).Select(c => c == Ivs.ParticipantTokenCapability.Publish ? "PUBLISH" : "SUBSCRIBE")],
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

    private static List<Ivs.ParticipantTokenCapability> ToIvs(ParticipantCapabilities capabilities)
    {
        var list = new List<Ivs.ParticipantTokenCapability>(2);
        if (capabilities.HasFlag(ParticipantCapabilities.Publish))
        {
            list.Add(Ivs.ParticipantTokenCapability.Publish);
        }

        if (capabilities.HasFlag(ParticipantCapabilities.Subscribe))
        {
            list.Add(Ivs.ParticipantTokenCapability.Subscribe);
        }

        return list;
    }
}
