using IvsServerless.Core.Ivs;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using IvsServerless.Core.Tokens.Minting;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Core.Tests.Tokens;

public sealed class IvsApiTokenMinterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly Stage Stage = new("s1", "arn:aws:ivs:us-east-1:123456789012:stage/s1", "show", "alice", StageVisibility.Public,
        new HashSet<string>(), new HashSet<string>(), Now);

    private static readonly TokenGrant Grant = new(
        "bob", ParticipantCapabilities.Subscribe, TimeSpan.FromMinutes(30), new Dictionary<string, string>());

    [Fact]
    public async Task The_grant_goes_to_IVS_unchanged_and_its_answer_comes_back()
    {
        var issuer = new Issuer(new IssuedParticipantToken("jwt", "p-1", Now.AddMinutes(29)));

        var minted = await new IvsApiTokenMinter(issuer, new FakeTimeProvider(Now)).MintAsync(Stage, Grant, default);

        Assert.Equal(new MintedToken("jwt", "p-1", Now.AddMinutes(29)), minted);
        Assert.Equal((Stage.StageArn, Grant), issuer.Asked);
        Assert.False(new IvsApiTokenMinter(issuer).NeedsStageEndpoints);
    }

    [Fact]
    public async Task Missing_participant_id_and_expiry_fall_back_to_empty_and_now_plus_the_duration()
    {
        var minted = await new IvsApiTokenMinter(new Issuer(new IssuedParticipantToken("jwt", null, null)), new FakeTimeProvider(Now))
            .MintAsync(Stage, Grant, default);

        Assert.Equal(new MintedToken("jwt", "", Now.AddMinutes(30)), minted);
    }

    private sealed class Issuer(IssuedParticipantToken answer) : IParticipantTokenIssuer
    {
        public (string StageArn, TokenGrant Grant)? Asked { get; private set; }

        public Task<IssuedParticipantToken> CreateParticipantTokenAsync(
            string stageArn, TokenGrant grant, CancellationToken cancellationToken)
        {
            Asked = (stageArn, grant);
            return Task.FromResult(answer);
        }
    }
}
