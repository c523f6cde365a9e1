using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using IvsServerless.LocalHost.Tests.Support;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// Host tools end to end on the whole local system (issue 15): self-signed tokens by default, with the key the
/// key-rotation function imported into the emulator; a ban that disconnects the user's participants and refuses them tokens.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class HostToolsTests(LocalHostFixture local)
{
    [Fact]
    public async Task Participant_tokens_are_self_signed_by_default_with_the_imported_key_and_join()
    {
        var stageId = await local.CreateStageAsync("alice");
        var (_, token) = await local.JoinAsync(stageId, "alice");

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]));
        Assert.Equal("ES384", header.RootElement.GetProperty("alg").GetString());
        Assert.Matches("^arn:aws:ivs:[a-z0-9-]+:[0-9]{12}:public-key/", header.RootElement.GetProperty("kid").GetString());
        Assert.Contains("key-rotation", local.Host.Functions);
    }

    [Fact]
    public async Task A_banned_viewer_is_disconnected_everywhere_and_gets_no_new_token_until_the_ban_is_lifted()
    {
        var stageId = await local.CreateStageAsync("alice");
        var (host, _) = await local.JoinAsync(stageId, "alice");
        var (viewer, _) = await local.JoinAsync(stageId, "mallory");
        var (secondDevice, _) = await local.JoinAsync(stageId, "mallory");

        var ban = await local.PostAsync($"/stages/{stageId}/participants/{viewer}/disconnect", "alice", """{"ban":true}""");

        Assert.Equal(204, ban.Status);
        foreach (var participant in new[] { viewer, secondDevice })
        {
            var acting = await local.SimAsync($"stages/{stageId}/participants/{participant}/subscribe", $$"""{"publisherId":"{{host}}"}""");
            Assert.Equal(404, acting.Status);
        }

        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{host}/publish")).Status);
        var refused = await local.PostAsync($"/stages/{stageId}/participant-tokens", "mallory");
        Assert.Equal((403, "banned"), (refused.Status, refused.Code));
        var bans = await local.GetAsync($"/stages/{stageId}/bans", "alice");
        Assert.Equal("mallory", Assert.Single(bans.Json.GetProperty("items").EnumerateArray()).GetProperty("userId").GetString());

        Assert.Equal(204, (await local.DeleteAsync($"/stages/{stageId}/bans/mallory", "alice")).Status);
        Assert.Equal(201, (await local.PostAsync($"/stages/{stageId}/participant-tokens", "mallory")).Status);
    }

    [Fact]
    public async Task A_viewer_promoted_by_exchange_publishes_as_the_same_participant_and_a_demoted_one_stops()
    {
        var stageId = await local.CreateStageAsync("alice");
        var (participant, viewerToken) = await local.JoinAsync(stageId, "bob");
        var refused = await local.SimAsync($"stages/{stageId}/participants/{participant}/publish");
        Assert.Equal(403, refused.Status);

        Assert.Equal(200, (await local.CallAsync(HttpMethod.Patch, $"/stages/{stageId}", "alice", """{"coHostIds":["bob"]}""")).Status);
        var promoted = await ExchangeAsync(stageId, "bob", viewerToken);
        Assert.Equal(participant, promoted.Json.GetProperty("participantId").GetString());
        Assert.Equal(200, (await DeviceExchangeAsync(stageId, participant, Token(promoted))).Status);
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{participant}/publish")).Status);
        await LocalHostFixture.EventuallyAsync(() => local.GetAsync($"/stages/{stageId}", "alice"),
            s => s.Status == 200 && s.Json.TryGetProperty("participants", out var ps) && ps.EnumerateArray().Any(
                p => p.GetProperty("participantId").GetString() == participant && p.GetProperty("publishing").GetBoolean()),
            "the promoted participant publishes under its participant id");

        Assert.Equal(200, (await local.CallAsync(HttpMethod.Patch, $"/stages/{stageId}", "alice", """{"coHostIds":[]}""")).Status);
        var demoted = await ExchangeAsync(stageId, "bob", Token(promoted));
        Assert.Equal(["SUBSCRIBE"], demoted.Json.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        var applied = await DeviceExchangeAsync(stageId, participant, Token(demoted));
        Assert.Equal(200, applied.Status);
        Assert.Equal("CONNECTED", applied.Json.GetProperty("participant").GetProperty("state").GetString());
        Assert.Equal(403, (await local.SimAsync($"stages/{stageId}/participants/{participant}/publish")).Status);
        await LocalHostFixture.EventuallyAsync(() => local.GetAsync($"/stages/{stageId}", "alice"),
            s => s.Status == 200 && s.Json.TryGetProperty("participants", out var ps) && ps.EnumerateArray().Any(
                p => p.GetProperty("participantId").GetString() == participant && !p.GetProperty("publishing").GetBoolean()),
            "the demoted participant stopped publishing");
    }

    private async Task<Reply> ExchangeAsync(string stageId, string user, string token)
    {
        var reply = await local.PostAsync(
            $"/stages/{stageId}/participant-tokens/exchange", user, JsonSerializer.Serialize(new { token }));
        Assert.True(reply.Status == 200, reply.ToString());
        return reply;
    }

    private Task<Reply> DeviceExchangeAsync(string stageId, string participant, string token) =>
        local.SimAsync($"stages/{stageId}/participants/{participant}/exchange", JsonSerializer.Serialize(new { token }));

    private static string Token(Reply reply) => reply.Json.GetProperty("token").GetString()!;
}
