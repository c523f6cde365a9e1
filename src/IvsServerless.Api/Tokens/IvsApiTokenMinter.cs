using IvsServerless.Api.Errors;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using Ivs = IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tokens;

/// <summary>Mints through IVS <c>CreateParticipantToken</c>: one API call per token (50 TPS per account and region).</summary>
public sealed class IvsApiTokenMinter(Ivs.IIvsRealTimeClient ivs, TimeProvider? time = null) : IParticipantTokenMinter
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public bool NeedsStageEndpoints => false;

    public async Task<MintedToken> MintAsync(Stage stage, TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(grant);
        Ivs.CreateParticipantTokenResponse minted;
        try
        {
            minted = await ivs.CreateParticipantTokenAsync(new Ivs.CreateParticipantTokenRequest
            {
                StageArn = stage.StageArn,
                UserId = grant.UserId,
                Duration = (int)grant.Duration.TotalMinutes,
                Attributes = grant.Attributes,
                Capabilities = TokenCapabilities.ToIvs(grant.Capabilities),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Ivs.ResourceNotFoundException)
        {
            // Deleted in IVS but not yet in our store (or the reverse race): same answer as a missing stage.
            throw NotFoundException.Stage();
        }

        var token = minted.ParticipantToken ?? throw new InvalidOperationException("IVS returned no participant token.");
        return new MintedToken(
            token.Token ?? throw new InvalidOperationException("IVS returned no token."),
            token.ParticipantId ?? "",
            token.ExpirationTime ?? _time.GetUtcNow().Add(grant.Duration));
    }
}

internal static class TokenCapabilities
{
    public static List<Ivs.ParticipantTokenCapability> ToIvs(ParticipantCapabilities capabilities)
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

    public static List<string> Names(ParticipantCapabilities capabilities)
    {
        var list = new List<string>(2);
        if (capabilities.HasFlag(ParticipantCapabilities.Publish))
        {
            list.Add("PUBLISH");
        }

        if (capabilities.HasFlag(ParticipantCapabilities.Subscribe))
        {
            list.Add("SUBSCRIBE");
        }

        return list;
    }
}
