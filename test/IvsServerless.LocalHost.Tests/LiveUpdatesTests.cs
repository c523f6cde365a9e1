using System.Net.WebSockets;
using System.Text.Json;
using IvsServerless.LocalHost.Tests.Support;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// Live updates end to end on the local host, with real WebSocket clients: the WebSocket front and its authorizer, the
/// routes function, DynamoDB Local's stream polled into the notifier, and its posts to <c>@connections</c>.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class LiveUpdatesTests(LocalHostFixture local)
{
    private async Task<LiveClient> ConnectAsync(string user) =>
        await LiveClient.ConnectAsync(local.Host.LiveUrl, await local.TokenAsync(user));

    private static string Type(JsonElement message) => message.GetProperty("type").GetString()!;

    private static long Version(JsonElement message) => message.GetProperty("version").GetInt64();

    private static bool About(JsonElement message, string participantId) =>
        message.TryGetProperty("participantId", out var p) && p.GetString() == participantId;

    [Fact]
    public async Task Join_publish_unpublish_and_leave_reach_two_users_in_version_order()
    {
        var stageId = await local.CreateStageAsync("alice", "public");
        await using var alice = await ConnectAsync("alice");
        await using var bob = await ConnectAsync("bob");
        var baselines = new Dictionary<LiveClient, long>
        {
            [alice] = Version(await alice.SubscribeAsync(stageId)),
            [bob] = Version(await bob.SubscribeAsync(stageId)),
        };

        var (participant, _) = await local.JoinAsync(stageId, "alice");
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{participant}/publish")).Status);
        foreach (var client in new[] { alice, bob })
        {
            await client.NextAsync(m => Type(m) == "publishing-started" && About(m, participant), "publishing-started");
        }

        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{participant}/unpublish")).Status);
        await bob.NextAsync(m => Type(m) == "publishing-stopped" && About(m, participant), "publishing-stopped");
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{participant}/leave")).Status);
        await bob.NextAsync(m => Type(m) == "participant-left" && About(m, participant), "participant-left (reconciler)");
        await alice.NextAsync(m => Type(m) == "participant-left" && About(m, participant), "participant-left (reconciler)");

        foreach (var client in new[] { alice, bob })
        {
            var stageMessages = client.Seen.Where(m => m.TryGetProperty("version", out _) && Type(m) != "subscribed").ToList();
            var participantTypes = stageMessages.Where(m => About(m, participant)).Select(Type).ToList();
            Assert.Equal(["participant-joined", "publishing-started", "publishing-stopped", "participant-left"],
                participantTypes.Where(t => t != "recording-changed"));
            var versions = stageMessages.Select(Version).ToList();
            Assert.Equal(versions.Order(), versions);

            // A change in flight while subscribing may arrive with a version the subscribe answer already covered (clients
            // skip versions they have seen); every version after it arrives, once and in order.
            var afterSubscribe = versions.Where(v => v > baselines[client]).ToList();
            Assert.Equal(Enumerable.Range((int)baselines[client] + 1, afterSubscribe.Count).Select(v => (long)v), afterSubscribe);
            Assert.Contains(stageMessages, m => Type(m) == "stage-changed" && m.GetProperty("live").GetBoolean());
        }
    }

    [Fact]
    public async Task A_stranger_cannot_subscribe_to_a_private_stage_and_learns_nothing_of_it()
    {
        var privateStage = await local.CreateStageAsync("alice", "private", invited: ["dave"]);
        await using var stranger = await ConnectAsync("mallory");

        var hidden = await stranger.SubscribeAsync(privateStage);
        var missing = await stranger.SubscribeAsync("Missing12345");

        Assert.Equal("stage-not-found", hidden.GetProperty("code").GetString());
        Assert.Equal(missing.GetProperty("message").GetString(), hidden.GetProperty("message").GetString());
        await using var invitee = await ConnectAsync("dave");
        Assert.Equal("subscribed", Type(await invitee.SubscribeAsync(privateStage)));
    }

    [Fact]
    public async Task Bad_frames_are_answered_with_errors_and_the_connection_stays_usable()
    {
        await using var client = await ConnectAsync("erin");
        await client.SendAsync("not json");
        Assert.Equal("invalid-json", (await client.NextOfTypeAsync("error")).GetProperty("code").GetString());
        await client.SendAsync("""{"action":"dance"}""");
        Assert.Equal("unknown-action", (await client.NextOfTypeAsync("error")).GetProperty("code").GetString());
        await client.SendAsync($$"""{"action":"ping","pad":"{{new string('x', 33 * 1024)}}"}""");
        Assert.Equal("frame-too-large", (await client.NextOfTypeAsync("error")).GetProperty("code").GetString());
        await client.SendAsync("""{"action":"ping"}""");
        await client.NextOfTypeAsync("pong");
    }

    [Fact]
    public async Task A_connection_without_a_valid_token_is_refused()
    {
        using var socket = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(
            () => socket.ConnectAsync(new Uri(local.Host.LiveUrl, "?token=not-a-jwt"), CancellationToken.None));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);

        using var anonymous = new ClientWebSocket();
        Assert.Contains("401",
            (
                await Assert.ThrowsAsync<WebSocketException>(
                () => anonymous.ConnectAsync(local.Host.LiveUrl, CancellationToken.None))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kick_reaches_the_kicked_user()
    {
        var stageId = await local.CreateStageAsync("alice", "public", coHosts: ["frank"]);
        await using var frank = await ConnectAsync("frank");
        await using var owner = await ConnectAsync("alice");
        Assert.Equal("subscribed", Type(await owner.SubscribeAsync(stageId)));
        var (participant, _) = await local.JoinAsync(stageId, "frank");
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{participant}/publish")).Status);
        await owner.NextAsync(m => Type(m) == "publishing-started" && About(m, participant), "the owner sees the participant");

        var kick = await local.PostAsync($"/stages/{stageId}/participants/{participant}/disconnect", "alice", """{"reason":"off topic"}""");
        Assert.True(kick.Status == 204, kick.ToString());

        var kicked = await frank.NextOfTypeAsync("kicked", stageId);
        Assert.Equal(
            (participant, "off topic"), (kicked.GetProperty("participantId").GetString(), kicked.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Promotion_and_invitation_reach_the_user_even_unsubscribed()
    {
        var stageId = await local.CreateStageAsync("alice", "private");
        await using var grace = await ConnectAsync("grace");
        await using var henry = await ConnectAsync("henry");

        Assert.Equal(200, (await local.CallAsync(HttpMethod.Patch, $"/stages/{stageId}", "alice",
            """{"coHostIds":["grace"],"invitedUserIds":["henry"]}""")).Status);

        await grace.NextOfTypeAsync("promoted", stageId);
        await henry.NextOfTypeAsync("invited", stageId);
        Assert.Equal("subscribed", Type(await henry.SubscribeAsync(stageId)));
    }

    [Fact]
    public async Task A_removed_invitee_gets_access_revoked_and_nothing_after_it()
    {
        var stageId = await local.CreateStageAsync("alice", "private", invited: ["ivan"]);
        await using var ivan = await ConnectAsync("ivan");
        await using var owner = await ConnectAsync("alice");
        Assert.Equal("subscribed", Type(await ivan.SubscribeAsync(stageId)));
        Assert.Equal("subscribed", Type(await owner.SubscribeAsync(stageId)));

        Assert.Equal(200, (await local.CallAsync(HttpMethod.Patch, $"/stages/{stageId}", "alice", """{"invitedUserIds":[]}""")).Status);
        await ivan.NextOfTypeAsync("access-revoked", stageId);
        await owner.NextOfTypeAsync("stage-changed", stageId);

        Assert.Equal(200, (await local.CallAsync(HttpMethod.Patch, $"/stages/{stageId}", "alice", """{"name":"renamed"}""")).Status);
        var renamed = await owner.NextAsync(
            m => Type(m) == "stage-changed" && m.GetProperty("settings").GetProperty("name").GetString() == "renamed",
            "the rename");
        Assert.False(await ivan.ArrivesWithinAsync(m => m.TryGetProperty("stageId", out var s) && s.GetString() == stageId,
            TimeSpan.FromMilliseconds(500)));
        Assert.True(Version(renamed) > 0);
    }

    [Fact]
    public async Task A_composition_start_and_stop_arrive_and_a_deleted_stage_ends_the_subscription()
    {
        var stageId = await local.CreateStageAsync("alice");
        await using var viewer = await ConnectAsync("judy");
        Assert.Equal("subscribed", Type(await viewer.SubscribeAsync(stageId)));
        var (host, _) = await local.JoinAsync(stageId, "alice");
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{host}/publish")).Status);

        var started = await local.PostAsync($"/stages/{stageId}/compositions", "alice",
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() });
        Assert.Equal(201, started.Status);
        var compositionId = started.Json.GetProperty("compositionId").GetString()!;
        bool Composition(JsonElement m, string state) => Type(m) == "composition-changed"
            && m.GetProperty("compositionId").GetString() == compositionId && m.GetProperty("state").GetString() == state;
        await viewer.NextAsync(m => Composition(m, "ACTIVE"), "the composition becomes ACTIVE");

        Assert.Equal(204, (await local.DeleteAsync($"/stages/{stageId}/compositions/{compositionId}", "alice")).Status);
        await viewer.NextAsync(m => Composition(m, "STOPPED"), "the composition is STOPPED");

        Assert.Equal(204, (await local.DeleteAsync($"/stages/{stageId}", "alice")).Status);
        await viewer.NextOfTypeAsync("stage-deleted", stageId);
    }
}
