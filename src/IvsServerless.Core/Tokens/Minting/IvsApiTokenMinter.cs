using IvsServerless.Core.Ivs;
using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Tokens.Minting;

/// <summary>
/// Mints through IVS <c>CreateParticipantToken</c>: one API call per token (50 TPS per account and region). A stage gone
/// from IVS surfaces as <see cref="IvsResourceNotFoundException"/>.
/// </summary>
public sealed class IvsApiTokenMinter(IParticipantTokenIssuer ivs, TimeProvider? time = null) : IParticipantTokenMinter
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public bool NeedsStageEndpoints => false;

    public async Task<MintedToken> MintAsync(Stage stage, TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(grant);
        var issued = await ivs.CreateParticipantTokenAsync(stage.StageArn, grant, cancellationToken);
        return new MintedToken(issued.Token, issued.ParticipantId ?? "", issued.ExpirationTime ?? _time.GetUtcNow().Add(grant.Duration));
    }
}
