using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using IvsServerless.LocalHost.Tests.Support;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// Host tools end to end on the whole local system (issue 15): self-signed tokens by default, with the key the
/// key-rotation function imported into the emulator; a ban that disconnects the user's participants and refuses them tokens;
/// an encoder publishing with an ingest configuration's key; a publisher replicated into another stage of the same owner.
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

    [Fact]
    public async Task An_encoder_with_an_ingest_configuration_s_key_makes_the_stage_live_with_the_creator_s_participant()
    {
        var stageId = await local.CreateStageAsync("alice");
        var created = await local.PostAsync(
            $"/stages/{stageId}/ingest-configurations", "alice", """{"name":"obs","ingestProtocol":"RTMPS"}""");
        Assert.True(created.Status == 201, created.ToString());
        var streamKey = created.Json.GetProperty("streamKey").GetString()!;
        var participant = created.Json.GetProperty("participantId").GetString()!;

        var started = await local.SimAsync("encoder/start", JsonSerializer.Serialize(new { streamKey }));
        Assert.True(started.Status == 200, started.ToString());
        await LocalHostFixture.EventuallyAsync(() => local.GetAsync($"/stages/{stageId}", "alice"),
            s => s.Status == 200 && s.Json.GetProperty("live").GetBoolean() && s.Json.TryGetProperty("participants", out var ps)
                && ps.EnumerateArray().Any(p => p.GetProperty("participantId").GetString() == participant
                    && p.GetProperty("userId").GetString() == "alice" && p.GetProperty("publishing").GetBoolean()),
            "the stage is live with the encoder's participant publishing as its creator");

        var listed = await local.GetAsync($"/stages/{stageId}/ingest-configurations", "alice");
        var item = Assert.Single(listed.Json.GetProperty("items").EnumerateArray());
        Assert.Equal("ACTIVE", item.GetProperty("state").GetString());
        Assert.DoesNotContain(streamKey, listed.Text, StringComparison.Ordinal);
        Assert.Equal(200, (await local.SimAsync("encoder/stop", JsonSerializer.Serialize(new { streamKey }))).Status);
    }

    [Fact]
    public async Task A_publisher_replicated_to_another_stage_of_the_owner_is_listed_there_until_stopped()
    {
        var source = await local.CreateStageAsync("alice");
        var destination = await local.CreateStageAsync("alice");
        var (participant, _) = await local.JoinAsync(source, "alice");
        Assert.Equal(200, (await local.SimAsync($"stages/{source}/participants/{participant}/publish")).Status);

        var started = await local.PostAsync($"/stages/{source}/replications", "alice",
            $$"""{"participantId":"{{participant}}","destinationStageId":"{{destination}}"}""");
        Assert.True(started.Status == 201, started.ToString());
        await LocalHostFixture.EventuallyAsync(() => local.GetAsync($"/stages/{destination}", "alice"),
            s => s.Status == 200 && s.Json.TryGetProperty("participants", out var ps)
                && ps.EnumerateArray().Any(p => p.GetProperty("participantId").GetString() == participant),
            "the replica is a participant of the destination stage");
        var replicas = await local.GetAsync($"/stages/{source}/replications?participantId={participant}", "alice");
        var replica = Assert.Single(replicas.Json.GetProperty("items").EnumerateArray());
        Assert.Equal(
            (destination, "ACTIVE"), (replica.GetProperty("destinationStageId").GetString(), replica.GetProperty("state").GetString()));

        var stopped = await local.DeleteAsync($"/stages/{source}/replications/{participant}?destinationStageId={destination}", "alice");
        Assert.Equal(204, stopped.Status);
        replicas = await local.GetAsync($"/stages/{source}/replications?participantId={participant}", "alice");
        Assert.Equal("STOPPED", Assert.Single(replicas.Json.GetProperty("items").EnumerateArray()).GetProperty("state").GetString());
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
