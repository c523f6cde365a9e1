using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.Api.Tests.Support;

namespace IvsServerless.Api.Tests.SelfSigned;

/// <summary>
/// Token exchange (<c>POST /stages/{id}/participant-tokens/exchange</c>) in self-signed mode on the emulator: promotion and
/// demotion decided again by the token policy, the immutable claims copied, and every bad token refused with nothing minted.
/// </summary>
public sealed class TokenExchangeTests : IAsyncLifetime
{
    private SelfSignedSystem _system = null!;

    private ApiHarness Api => _system.Api;

    public async Task InitializeAsync()
    {
        _system = await SelfSignedSystem.StartAsync();
        await _system.Rotation.RotateAsync(force: false, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task A_viewer_made_co_host_exchanges_for_publish_keeping_the_immutable_claims_and_a_demoted_one_loses_it()
    {
        var stageId = await Api.CreateStageAsync("alice");
        var viewer = await TokenAsync(stageId, "bob");
        Assert.Equal(["SUBSCRIBE"], Capabilities(viewer));

        var promotion = await Api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"coHostIds":["bob"]}"""));
        Assert.Equal(200, promotion.Status);
        var promoted = await ExchangeAsync(stageId, "bob", Token(viewer));

        Assert.Equal(200, promoted.Status);
        Assert.Equal(["PUBLISH", "SUBSCRIBE"], Capabilities(promoted));
        Assert.Equal(viewer.Json.GetProperty("participantId").GetString(), promoted.Json.GetProperty("participantId").GetString());
        var before = Claims(Token(viewer));
        var after = Claims(Token(promoted));
        foreach (var immutable in new[] { "topic", "resource", "jti", "whip_url", "events_url", "user_id" })
        {
            Assert.Equal(before[immutable]!.GetValue<string>(), after[immutable]!.GetValue<string>());
        }

        Assert.True(after["capabilities"]!["allow_publish"]!.GetValue<bool>());
        Assert.Equal("co-host", after["attributes"]!["role"]!.GetValue<string>());

        Assert.Equal(200, (await Api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"coHostIds":[]}"""))).Status);
        var demoted = await ExchangeAsync(stageId, "bob", Token(promoted));
        Assert.Equal(200, demoted.Status);
        Assert.Equal(["SUBSCRIBE"], Capabilities(demoted));
        Assert.Equal("viewer", Claims(Token(demoted))["attributes"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_tokens_are_refused_with_a_clear_problem_and_nothing_is_minted()
    {
        var stageId = await Api.CreateStageAsync("alice");
        var otherStage = await Api.CreateStageAsync("alice");
        var bobs = Token(await TokenAsync(stageId, "bob"));
        var otherStages = Token(await TokenAsync(otherStage, "bob"));
        var parts = bobs.Split('.');
        var claims = Claims(bobs);
        claims["capabilities"]!["allow_publish"] = true;
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()))}.{parts[2]}";
        var foreignKey = ForeignToken(parts[1]);

        var cases = new (string Caller, string Token, int Status, string Code)[]
        {
            ("bob", "not-a-jwt", 400, "invalid-participant-token"),
            ("bob", tampered, 400, "invalid-participant-token"),
            ("bob", foreignKey, 400, "invalid-participant-token"),
            ("carol", bobs, 403, "token-not-yours"),
            ("bob", otherStages, 403, "token-not-yours"),
        };
        foreach (var (caller, token, status, code) in cases)
        {
            var response = await ExchangeAsync(stageId, caller, token);
            Assert.True((status, code) == (response.Status, response.Code), $"{code}: {response}");
            Assert.False(response.Body.Contains("eyJ", StringComparison.Ordinal), "no token in a refusal");
        }

        var missing = await Api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens/exchange").As("bob").Json("{}"));
        Assert.Equal(400, missing.Status);
        Assert.Equal(["token"], missing.ErrorFields);
        Assert.DoesNotContain(bobs, Api.Log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var stageId = await Api.CreateStageAsync("alice");
        var token = Token(await TokenAsync(stageId, "bob", """{"durationMinutes":1}"""));

        _system.ApiTime.Advance(TimeSpan.FromMinutes(2));
        var response = await ExchangeAsync(stageId, "bob", token);

        Assert.Equal((400, "invalid-participant-token"), (response.Status, response.Code));
    }

    [Fact]
    public async Task A_banned_user_cannot_exchange()
    {
        var stageId = await Api.CreateStageAsync("alice");
        var issued = await TokenAsync(stageId, "mallory");
        var participantId = await Api.JoinAsync(Token(issued));
        var ban = await Api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participants/{participantId}/disconnect").As("alice")
            .Json("""{"ban":true}"""));
        Assert.Equal(204, ban.Status);

        var response = await ExchangeAsync(stageId, "mallory", Token(issued));

        Assert.Equal((403, "banned"), (response.Status, response.Code));
    }

    [Fact]
    public async Task Every_caller_exchanges_only_into_what_their_role_allows_and_outsiders_of_a_private_stage_get_404()
    {
        var stageId = await Api.CreateStageAsync("alice", "private", coHosts: ["carol"], invited: ["dave"]);
        foreach (var (user, capabilities) in new[] { ("alice", 2), ("carol", 2), ("dave", 1) })
        {
            var exchanged = await ExchangeAsync(stageId, user, Token(await TokenAsync(stageId, user)));
            Assert.Equal((200, capabilities), (exchanged.Status, Capabilities(exchanged).Length));
        }

        var publicStage = await Api.CreateStageAsync("alice");
        var strangers = Token(await TokenAsync(publicStage, "erin"));
        Assert.Equal(404, (await ExchangeAsync(stageId, "erin", strangers)).Status);
        var anonymous = await Api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens/exchange").As(null)
            .Json($$"""{"token":"{{strangers}}"}"""));
        Assert.Equal(401, anonymous.Status);
        var greedy = await ExchangeAsync(publicStage, "erin", strangers, ""","capabilities":["PUBLISH"]""");
        Assert.Equal((403, "capability-not-allowed"), (greedy.Status, greedy.Code));
    }

    [Fact]
    public async Task The_emulator_applies_an_exchange_only_with_the_participant_s_own_immutable_claims()
    {
        var stageId = await Api.CreateStageAsync("alice", coHosts: ["bob"]);
        var first = await TokenAsync(stageId, "bob");
        var second = await TokenAsync(stageId, "bob");
        var participant = await Api.JoinAsync(Token(first));
        await Api.JoinAsync(Token(second));

        using var foreign = await DeviceExchangeAsync(stageId, participant, Token(second));
        Assert.Equal(400, (int)foreign.StatusCode);

        var own = await ExchangeAsync(stageId, "bob", Token(first), ""","capabilities":["SUBSCRIBE"]""");
        using var publish = await Api.Http.PostAsync($"/_sim/stages/{stageId}/participants/{participant}/publish", null);
        Assert.Equal(200, (int)publish.StatusCode);
        using var applied = await DeviceExchangeAsync(stageId, participant, Token(own));
        Assert.Equal(200, (int)applied.StatusCode);
        using var again = await Api.Http.PostAsync($"/_sim/stages/{stageId}/participants/{participant}/publish", null);
        Assert.Equal(403, (int)again.StatusCode);
        var events = await Api.Http.GetStringAsync("/_sim/events");
        Assert.Contains("Token Exchanged", events, StringComparison.Ordinal);
        Assert.Contains("Participant Unpublished", events, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> DeviceExchangeAsync(string stageId, string participant, string token) =>
        Api.Http.PostAsync($"/_sim/stages/{stageId}/participants/{participant}/exchange",
            new StringContent(JsonSerializer.Serialize(new { token }), Encoding.UTF8, "application/json"));

    private async Task<ApiResponse> TokenAsync(string stageId, string user, string body = "{}")
    {
        var response = await Api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As(user).Json(body));
        Assert.Equal(201, response.Status);
        return response;
    }

    private Task<ApiResponse> ExchangeAsync(string stageId, string user, string token, string more = "") =>
        Api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens/exchange").As(user)
            .Json($$"""{"token":{{JsonSerializer.Serialize(token)}}{{more}}}"""));

    private static string Token(ApiResponse response) => response.Json.GetProperty("token").GetString()!;

    private static string[] Capabilities(ApiResponse response) =>
        [.. response.Json.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()!)];

    private static JsonObject Claims(string token) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!.AsObject();

    /// <summary>Same claims, signed by a key this deployment never imported.</summary>
    private static string ForeignToken(string payload)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var header = Base64Url.EncodeToString(
            """{"alg":"ES384","typ":"JWT","kid":"arn:aws:ivs:us-east-1:123456789012:public-key/foreign"}"""u8);
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload),
            System.Security.Cryptography.HashAlgorithmName.SHA384,
            System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }
}
