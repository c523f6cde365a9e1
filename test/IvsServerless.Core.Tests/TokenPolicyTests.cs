using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using static IvsServerless.Core.Tokens.ParticipantCapabilities;

namespace IvsServerless.Core.Tests;

public sealed class TokenPolicyTests
{
    private const string Owner = "owner-sub";
    private const string CoHost = "cohost-sub";
    private const string Invited = "invited-sub";
    private const string Stranger = "stranger-sub";

    private readonly TokenPolicy _policy = new(new TokenPolicyOptions());

    public static TheoryData<StageVisibility, string, ParticipantCapabilities?, ParticipantCapabilities?> Matrix()
    {
        // visibility × caller × requested → granted capabilities (null = denied).
        var data = new TheoryData<StageVisibility, string, ParticipantCapabilities?, ParticipantCapabilities?>();
        foreach (var visibility in new[] { StageVisibility.Public, StageVisibility.Private })
        {
            foreach (var user in new[] { Owner, CoHost })
            {
                data.Add(visibility, user, null, PublishAndSubscribe);
                data.Add(visibility, user, PublishAndSubscribe, PublishAndSubscribe);
                data.Add(visibility, user, Publish, Publish);
                data.Add(visibility, user, Subscribe, Subscribe);
            }

            var outsiderSeesStage = visibility == StageVisibility.Public;
            foreach (var user in new[] { Invited, Stranger })
            {
                var sees = user == Invited || outsiderSeesStage;
                data.Add(visibility, user, null, sees ? Subscribe : null);
                data.Add(visibility, user, Subscribe, sees ? Subscribe : null);
                data.Add(visibility, user, Publish, null);
                data.Add(visibility, user, PublishAndSubscribe, null);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Capability_matrix(
        StageVisibility visibility, string user, ParticipantCapabilities? requested, ParticipantCapabilities? expected)
    {
        var decision = _policy.Decide(StageOf(visibility), new Caller(user, null), new TokenRequest(requested));

        Assert.Equal(expected, decision.Grant?.Capabilities);
        if (expected is null)
        {
            Assert.NotNull(decision.Denial);
            Assert.False(string.IsNullOrEmpty(decision.Reason));
        }
    }

    [Fact]
    public void Private_stage_is_not_disclosed_to_outsiders()
    {
        var decision = _policy.Decide(StageOf(StageVisibility.Private), new Caller(Stranger, null), new TokenRequest(Subscribe));
        Assert.Equal(TokenDenial.StageNotFound, decision.Denial);
    }

    [Fact]
    public void Deleted_or_missing_stage_never_gets_a_token()
    {
        Assert.Equal(
            TokenDenial.StageNotFound, _policy.Decide(
            StageOf(StageVisibility.Public) with { Deleted = true }, new Caller(Owner, null), new TokenRequest()).Denial);
        Assert.Equal(TokenDenial.StageNotFound, _policy.Decide(null, new Caller(Owner, null), new TokenRequest()).Denial);
    }

    [Fact]
    public void Requesting_no_capability_is_denied()
    {
        Assert.Equal(
            TokenDenial.CapabilityNotAllowed, _policy.Decide(
            StageOf(StageVisibility.Public), new Caller(Owner, null), new TokenRequest(None)).Denial);
    }

    [Fact]
    public void Duration_defaults_to_1_hour_and_is_capped()
    {
        var stage = StageOf(StageVisibility.Public);
        Assert.Equal(TimeSpan.FromHours(1), _policy.Decide(stage, new Caller(Owner, null), new TokenRequest()).Grant!.Duration);
        Assert.Equal(
            TimeSpan.FromMinutes(30), _policy.Decide(
            stage, new Caller(Owner, null), new TokenRequest(Duration: TimeSpan.FromMinutes(30))).Grant!.Duration);
        Assert.Equal(
            TokenDenial.InvalidDuration, _policy.Decide(
            stage, new Caller(Owner, null), new TokenRequest(Duration: TimeSpan.FromHours(13))).Denial);
        Assert.Equal(
            TokenDenial.InvalidDuration, _policy.Decide(
            stage, new Caller(Owner, null), new TokenRequest(Duration: TimeSpan.FromSeconds(30))).Denial);
    }

    [Fact]
    public void Configured_cap_allows_longer_tokens_up_to_14_days()
    {
        var policy = new TokenPolicy(new TokenPolicyOptions { MaxDuration = TimeSpan.FromDays(14) });
        var grant = policy.Decide(
            StageOf(StageVisibility.Public), new Caller(Owner, null), new TokenRequest(Duration: TimeSpan.FromDays(14))).Grant;
        Assert.Equal(TimeSpan.FromDays(14), grant!.Duration);
    }

    [Fact]
    public void User_id_is_always_the_caller_and_attributes_are_filtered_with_the_display_name_from_claims()
    {
        var requested = new Dictionary<string, string> { ["avatarUrl"] = "https://a/b.png", ["isAdmin"] = "true" };
        var grant = _policy.Decide(
            StageOf(StageVisibility.Public), new Caller(Stranger, "Real Name"), new TokenRequest(Attributes: requested)).Grant!;

        Assert.Equal(Stranger, grant.UserId);
        Assert.Equal(
            new Dictionary<string, string> { ["avatarUrl"] = "https://a/b.png", ["displayName"] = "Real Name", ["role"] = "viewer" },
            grant.Attributes);
    }

    [Theory]
    [InlineData("displayName", "Spoofed")]
    [InlineData("role", "host")]
    [InlineData("role", "owner")]
    public void Reserved_attribute_keys_are_refused_naming_the_key(string key, string value)
    {
        foreach (var user in new[] { Owner, CoHost, Invited, Stranger })
        {
            var requested = new Dictionary<string, string> { ["avatarUrl"] = "https://a/b.png", [key] = value };
            var decision = _policy.Decide(
                StageOf(StageVisibility.Public), new Caller(user, "Real Name"), new TokenRequest(Attributes: requested));

            Assert.Null(decision.Grant);
            Assert.Equal(TokenDenial.ReservedAttribute, decision.Denial);
            Assert.Equal("attributes." + key, decision.Field);
            Assert.Contains($"'{key}'", decision.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Owner, "owner")]
    [InlineData(CoHost, "co-host")]
    [InlineData(Invited, "viewer")]
    [InlineData(Stranger, "viewer")]
    public void The_server_sets_role_from_the_caller_s_actual_role(string user, string role)
    {
        var grant = _policy.Decide(StageOf(StageVisibility.Public), new Caller(user, null), new TokenRequest(Subscribe)).Grant!;
        Assert.Equal(role, grant.Attributes["role"]);
    }

    [Fact]
    public void Attributes_over_1_KB_are_denied()
    {
        var requested = new Dictionary<string, string> { ["avatarUrl"] = new string('a', 1100) };
        var decision = _policy.Decide(StageOf(StageVisibility.Public), new Caller(Owner, null), new TokenRequest(Attributes: requested));
        Assert.Equal(TokenDenial.AttributesTooLarge, decision.Denial);
    }

    [Theory]
    [InlineData(0, 12)]
    [InlineData(13 * 60, 12)]
    [InlineData(12 * 60, 15 * 24)]
    [InlineData(12 * 60, 0)]
    public void Options_validation_really_fails(int defaultMinutes, int maxHours)
    {
        var options = new TokenPolicyOptions
        {
            DefaultDuration = TimeSpan.FromMinutes(defaultMinutes),
            MaxDuration = TimeSpan.FromHours(maxHours)
        };
        Assert.Throws<InvalidOperationException>(options.Validate);
    }

    [Fact]
    public void Options_validation_rejects_reserved_attribute_key_and_accepts_defaults()
    {
        new TokenPolicyOptions().Validate();
        Assert.Throws<InvalidOperationException>(new TokenPolicyOptions { AllowedAttributeKeys = ["displayName"] }.Validate);
        Assert.Throws<InvalidOperationException>(new TokenPolicyOptions { AllowedAttributeKeys = ["color", "role"] }.Validate);
        Assert.DoesNotContain("role", new TokenPolicyOptions().AllowedAttributeKeys);
    }

    private static Stage StageOf(StageVisibility visibility) => new(
        "abcdABCDefgh", "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh", "demo", Owner, visibility,
        new HashSet<string> { CoHost }, new HashSet<string> { Invited }, DateTimeOffset.UnixEpoch);
}
