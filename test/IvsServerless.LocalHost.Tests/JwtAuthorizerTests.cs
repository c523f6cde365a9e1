using System.Text.Json.Nodes;
using IvsServerless.LocalHost.Auth;
using IvsServerless.LocalHost.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.LocalHost.Tests;

/// <summary>The API front's authorizer, rule by rule, as the API Gateway HTTP API JWT authorizer applies them.</summary>
public sealed class JwtAuthorizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    // RSA key generation costs ~0.1 s on a busy machine: one key for every test.
    private static readonly TestJwt Shared = new();
    private readonly TestJwt _jwt = Shared;
    private readonly JwtAuthorizer _authorizer;

    public JwtAuthorizerTests() =>
        _authorizer = new JwtAuthorizer(new JwtAuthorizerOptions(TestJwt.Issuer, [TestJwt.Audience, "second-client"]),
            new StaticSigningKeys(_jwt.KeySet()), _time);

    private Task<JwtAuthorization> Authorize(string? header) => _authorizer.AuthorizeAsync(header, CancellationToken.None);

    private string Valid(Action<JsonObject>? change = null)
    {
        var claims = TestJwt.Claims(Now);
        change?.Invoke(claims);
        return _jwt.Sign(claims);
    }

    private async Task AssertDenied(string? header, string because)
    {
        var result = await Authorize(header);
        Assert.False(result.IsAuthorized);
        Assert.Null(result.Claims);
        Assert.Contains(because, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer {0}")]
    [InlineData("bearer {0}")]
    [InlineData("{0}")]
    [InlineData("  Bearer   {0}  ")]
    public async Task Accepts_a_valid_token_alone_or_after_the_Bearer_scheme(string format)
    {
        var result = await Authorize(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Valid()));

        Assert.True(result.IsAuthorized, result.Error);
        Assert.Equal("alice", result.Claims!["sub"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Bearer")]
    [InlineData("Bearer   ")]
    public async Task Refuses_a_missing_token(string? header) => await AssertDenied(header, "no bearer token");

    [Fact]
    public async Task Refuses_another_authorization_scheme() => await AssertDenied("Basic " + Valid(), "no bearer token");

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("####.####.####")]
    public async Task Refuses_a_malformed_token(string token) => await AssertDenied("Bearer " + token, "not a valid JWT");

    [Fact]
    public async Task Refuses_a_signature_by_another_key_under_a_known_kid()
    {
        using var other = new TestJwt();

        await AssertDenied("Bearer " + _jwt.Sign(TestJwt.Claims(Now), key: other.Key), "signature is not valid");
    }

    [Fact]
    public async Task Refuses_a_token_whose_claims_were_changed_after_signing()
    {
        var parts = Valid().Split('.');
        var forged = TestJwt.Claims(Now, sub: "admin");

        await AssertDenied($"Bearer {parts[0]}.{TestJwt.Encode(forged)}.{parts[2]}", "signature is not valid");
    }

    [Fact]
    public async Task Refuses_an_unknown_kid() =>
        await AssertDenied("Bearer " + _jwt.Sign(TestJwt.Claims(Now), kid: "rotated-away"), "matches the token's kid");

    [Fact]
    public async Task Refuses_a_token_without_kid() =>
        await AssertDenied("Bearer " + _jwt.Sign(TestJwt.Claims(Now), includeKid: false), "no kid");

    [Fact]
    public async Task Refuses_a_shared_secret_algorithm() =>
        await AssertDenied("Bearer " + TestJwt.SignHmac(TestJwt.Claims(Now), _jwt.KeyId), "HS256 is not supported");

    [Fact]
    public async Task Refuses_an_unsigned_token()
    {
        var header = TestJwt.Encode(new JsonObject { ["alg"] = "none", ["kid"] = _jwt.KeyId });

        await AssertDenied($"Bearer {header}.{TestJwt.Encode(TestJwt.Claims(Now))}.", "is not supported");
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task Accepts_the_other_RSA_algorithms(string alg)
    {
        var result = await Authorize("Bearer " + _jwt.Sign(TestJwt.Claims(Now), alg));

        Assert.True(result.IsAuthorized, result.Error);
    }

    [Theory]
    [InlineData("https://other.example")]
    [InlineData("https://issuer.example/")]
    [InlineData("HTTPS://ISSUER.EXAMPLE")]
    public async Task Refuses_an_issuer_that_is_not_exactly_the_configured_one(string issuer) =>
        await AssertDenied("Bearer " + Valid(c => c["iss"] = issuer), "valid issuer");

    [Fact]
    public async Task Refuses_a_token_without_issuer() => await AssertDenied("Bearer " + Valid(c => c.Remove("iss")), "valid issuer");

    [Fact]
    public async Task Refuses_a_wrong_audience() => await AssertDenied("Bearer " + Valid(c => c["aud"] = "someone-else"), "valid audience");

    [Fact]
    public async Task Accepts_an_audience_list_holding_a_configured_audience()
    {
        var result = await Authorize("Bearer " + Valid(c => c["aud"] = new JsonArray("someone-else", "second-client")));

        Assert.True(result.IsAuthorized, result.Error);
        Assert.Equal("[someone-else second-client]", result.Claims!["aud"]);
    }

    [Fact]
    public async Task Uses_client_id_only_when_there_is_no_aud()
    {
        Assert.True((await Authorize("Bearer " + Valid(c => { c.Remove("aud"); c["client_id"] = TestJwt.Audience; }))).IsAuthorized);
        await AssertDenied("Bearer " + Valid(c => { c.Remove("aud"); c["client_id"] = "someone-else"; }), "valid audience");
        await AssertDenied("Bearer " + Valid(c => c.Remove("aud")), "valid audience");
        // aud present and wrong: client_id is not consulted.
        await AssertDenied("Bearer " + Valid(c => { c["aud"] = "someone-else"; c["client_id"] = TestJwt.Audience; }), "valid audience");
    }

    [Fact]
    public async Task Refuses_an_expired_token_from_its_exp_second_on()
    {
        var token = "Bearer " + Valid(c => c["exp"] = Now.AddSeconds(1).ToUnixTimeSeconds());
        Assert.True((await Authorize(token)).IsAuthorized);

        _time.Advance(TimeSpan.FromSeconds(1));

        await AssertDenied(token, "expired");
    }

    [Fact]
    public async Task Refuses_a_token_without_exp() => await AssertDenied("Bearer " + Valid(c => c.Remove("exp")), "no valid exp");

    [Fact]
    public async Task Refuses_a_non_numeric_exp() =>
        // RFC 7519 makes exp a NumericDate: a string there makes the whole token malformed.
        await AssertDenied("Bearer " + Valid(c => c["exp"] = "tomorrow"), "not a valid JWT");

    [Fact]
    public async Task Refuses_a_token_before_its_nbf_and_accepts_it_from_then_on()
    {
        var token = "Bearer " + Valid(c => c["nbf"] = Now.AddSeconds(30).ToUnixTimeSeconds());
        await AssertDenied(token, "not valid yet");

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True((await Authorize(token)).IsAuthorized);
    }

    [Fact]
    public async Task Refuses_a_token_issued_in_the_future() =>
        await AssertDenied("Bearer " + Valid(c => c["iat"] = Now.AddMinutes(5).ToUnixTimeSeconds()), "issued in the future");

    [Fact]
    public async Task Passes_every_claim_as_a_string_as_API_Gateway_does()
    {
        var result = await Authorize("Bearer " + Valid(c =>
        {
            c["groups"] = new JsonArray("hosts", "admins");
            c["email_verified"] = true;
            c["address"] = new JsonObject { ["country"] = "FR" };
            c["middle_name"] = null;
        }));

        var claims = result.Claims!;
        Assert.Equal("alice", claims["sub"]);
        Assert.Equal(Now.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), claims["exp"]);
        Assert.Equal("[hosts admins]", claims["groups"]);
        Assert.Equal("true", claims["email_verified"]);
        Assert.Equal("""{"country":"FR"}""", claims["address"]);
        Assert.False(claims.ContainsKey("middle_name"));
    }

    [Fact]
    public async Task A_JWKS_that_cannot_be_fetched_is_a_401_not_an_error()
    {
        var authorizer = new JwtAuthorizer(new JwtAuthorizerOptions(TestJwt.Issuer, [TestJwt.Audience]), new FailingKeys(), _time);

        var result = await authorizer.AuthorizeAsync("Bearer " + Valid(), CancellationToken.None);

        Assert.False(result.IsAuthorized);
        Assert.Contains("could not be fetched", result.Error, StringComparison.Ordinal);
    }

    private sealed class FailingKeys : ISigningKeySource
    {
        public ValueTask<Microsoft.IdentityModel.Tokens.JsonWebKey?> FindAsync(string keyId, CancellationToken cancellationToken) =>
            throw new HttpRequestException("connection refused");
    }
}
