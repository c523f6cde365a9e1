using System.Text.Json;
using IvsServerless.LocalHost.Tests.Support;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// What a mobile app does, end to end over HTTP against the whole local system: users sign in (dev issuer), hosts
/// create stages and get tokens, devices join and publish (<c>/_sim/</c>), IVS events flow through the local bus
/// into the projection the API reads, hosts kick and record, and stages are deleted.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class StageFlowTests(LocalHostFixture local)
{
    private static string[] Capabilities(Reply token) =>
        [.. token.Json.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()!)];

    private static string[] ParticipantIds(Reply stage) =>
        stage.Json.TryGetProperty("participants", out var participants)
            ? [.. participants.EnumerateArray().Select(p => p.GetProperty("participantId").GetString()!)]
            : [];

    private Task<Reply> StageAs(string user, string stageId) => local.GetAsync($"/stages/{stageId}", user);

    [Fact]
    public void The_ivs_rules_deliver_to_the_ivs_events_queue_as_the_contract_declares_it()
    {
        var trigger = Deployment.Functions.BackendFunctions.IvsEvents.Queue!;
        var queue = Assert.Single(local.Host.EventQueues);

        Assert.Equal(Deployment.Functions.BackendFunctions.IvsEvents.Handler, queue.Name);
        Assert.Equal(
            (trigger.BatchSize, trigger.BatchingWindow, LocalHostFixture.RetryDelay, trigger.MaxReceiveCount),
            (queue.Settings.BatchSize, queue.Settings.BatchingWindow, queue.Settings.VisibilityTimeout, queue.Settings.MaxReceiveCount));
        Assert.Equal(
            Deployment.Events.IvsRules.All.Select(r => r.Name).Order(StringComparer.Ordinal),
            local.Host.EventRules.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Public_and_private_stages_give_host_co_host_and_viewer_their_own_tokens()
    {
        var publicStage = await local.CreateStageAsync("alice", "public", coHosts: ["carol"]);
        var privateStage = await local.CreateStageAsync("alice", "private", coHosts: ["carol"], invited: ["dave"]);

        var host = await local.PostAsync($"/stages/{publicStage}/participant-tokens", "alice");
        var coHost = await local.PostAsync($"/stages/{publicStage}/participant-tokens", "carol");
        var viewer = await local.PostAsync($"/stages/{publicStage}/participant-tokens", "bob");
        var shyHost = await local.PostAsync($"/stages/{publicStage}/participant-tokens", "alice", """{"capabilities":["SUBSCRIBE"]}""");
        Assert.Equal([201, 201, 201, 201], new[] { host, coHost, viewer, shyHost }.Select(r => r.Status));
        Assert.Equal(["PUBLISH", "SUBSCRIBE"], Capabilities(host));
        Assert.Equal(["PUBLISH", "SUBSCRIBE"], Capabilities(coHost));
        Assert.Equal(["SUBSCRIBE"], Capabilities(viewer));
        Assert.Equal(["SUBSCRIBE"], Capabilities(shyHost));

        // Private: the co-host and the invitee get in, an outsider does not even learn that it exists.
        Assert.Equal(["PUBLISH", "SUBSCRIBE"], Capabilities(await local.PostAsync($"/stages/{privateStage}/participant-tokens", "carol")));
        Assert.Equal(["SUBSCRIBE"], Capabilities(await local.PostAsync($"/stages/{privateStage}/participant-tokens", "dave")));
        Assert.Equal(404, (await local.PostAsync($"/stages/{privateStage}/participant-tokens", "bob")).Status);
        Assert.Equal(404, (await StageAs("bob", privateStage)).Status);
        Assert.Equal(200, (await StageAs("bob", publicStage)).Status);

        var mine = await local.GetAsync("/stages", "alice");
        var ids = mine.Json.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("stageId").GetString()).ToList();
        Assert.Contains(publicStage, ids);
        Assert.Contains(privateStage, ids);

        // The tokens are real IVS participant tokens: the devices can join with them.
        var joined = await local.SimAsync("join", JsonSerializer.Serialize(new { token = viewer.Json.GetProperty("token").GetString() }));
        Assert.Equal(200, joined.Status);
        Assert.Equal("bob", joined.Json.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Publish_events_flow_through_the_bus_into_the_projection()
    {
        var stageId = await local.CreateStageAsync("alice", coHosts: ["carol"]);
        var (host, _) = await local.JoinAsync(stageId, "alice");
        var (coHost, _) = await local.JoinAsync(stageId, "carol");
        var (viewer, _) = await local.JoinAsync(stageId, "bob");
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{host}/publish")).Status);
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{coHost}/publish")).Status);
        Assert.Equal(
            200, (await local.SimAsync($"stages/{stageId}/participants/{viewer}/subscribe", $$"""{"publisherId":"{{host}}"}""")).Status);

        var live = await LocalHostFixture.EventuallyAsync(() => StageAs("bob", stageId),
            s => s.Status == 200 && s.Json.GetProperty("live").GetBoolean()
                && new[] { host, coHost, viewer }.All(ParticipantIds(s).Contains),
            "the stage is live with its three participants");
        Assert.StartsWith("st-", live.Json.GetProperty("activeSessionId").GetString(), StringComparison.Ordinal);
        var users = live.Json.GetProperty("participants").EnumerateArray()
            .ToDictionary(p => p.GetProperty("participantId").GetString()!, p => p.GetProperty("userId").GetString());
        Assert.Equal("alice", users[host]);
        Assert.Equal("bob", users[viewer]);

        var liveStages = await local.GetAsync("/stages?scope=live", "dave");
        Assert.Contains(stageId, liveStages.Json.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("stageId").GetString()));

        foreach (var participant in new[] { viewer, coHost, host })
        {
            Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{participant}/leave")).Status);
        }

        await LocalHostFixture.EventuallyAsync(() => StageAs("alice", stageId),
            s => !s.Json.GetProperty("live").GetBoolean() && ParticipantIds(s).Length == 0,
            "the session ended and nobody is left");
        Assert.Empty(local.Host.DeadLetters);
    }

    [Fact]
    public async Task The_host_kicks_a_viewer_who_then_cannot_come_back()
    {
        var stageId = await local.CreateStageAsync("alice");
        var (host, _) = await local.JoinAsync(stageId, "alice");
        var (viewer, viewerToken) = await local.JoinAsync(stageId, "bob");
        await LocalHostFixture.EventuallyAsync(
            () => StageAs("alice", stageId), s => ParticipantIds(s).Contains(viewer), "bob is seen in the stage");

        var byViewer = await local.PostAsync($"/stages/{stageId}/participants/{host}/disconnect", "bob");
        var kick = await local.PostAsync($"/stages/{stageId}/participants/{viewer}/disconnect", "alice", """{"reason":"spam"}""");

        Assert.Equal(403, byViewer.Status);
        Assert.Equal(204, kick.Status);
        Assert.Equal(
            404, (await local.SimAsync($"stages/{stageId}/participants/{viewer}/subscribe", $$"""{"publisherId":"{{host}}"}""")).Status);
        Assert.Equal(403, (await local.SimAsync("join", JsonSerializer.Serialize(new { token = viewerToken }))).Status);
        var after = await LocalHostFixture.EventuallyAsync(() => StageAs("alice", stageId),
            s => !ParticipantIds(s).Contains(viewer), "the kicked viewer leaves the projection");
        Assert.Contains(host, ParticipantIds(after));
    }

    [Fact]
    public async Task A_composition_starts_once_per_key_becomes_active_and_stops()
    {
        var stageId = await local.CreateStageAsync("alice");
        var (host, _) = await local.JoinAsync(stageId, "alice");
        Assert.Equal(200, (await local.SimAsync($"stages/{stageId}/participants/{host}/publish")).Status);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };

        var started = await local.PostAsync($"/stages/{stageId}/compositions", "alice", headers: key);
        var again = await local.PostAsync($"/stages/{stageId}/compositions", "alice", headers: key);

        Assert.Equal(201, started.Status);
        Assert.Equal(200, again.Status);
        var compositionId = started.Json.GetProperty("compositionId").GetString()!;
        Assert.Equal(compositionId, again.Json.GetProperty("compositionId").GetString());

        string? State(Reply list) => list.Json.GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("compositionId").GetString() == compositionId)
            .Select(c => c.GetProperty("state").GetString()).FirstOrDefault();

        await LocalHostFixture.EventuallyAsync(() => local.GetAsync($"/stages/{stageId}/compositions", "bob"),
            l => State(l) == "ACTIVE", "the composition becomes ACTIVE from its IVS events");

        Assert.Equal(204, (await local.DeleteAsync($"/stages/{stageId}/compositions/{compositionId}", "alice")).Status);

        var stopped = await LocalHostFixture.EventuallyAsync(() => local.GetAsync($"/stages/{stageId}/compositions", "alice"),
            l => State(l) == "STOPPED", "the composition is STOPPED after its end event");
        Assert.True(stopped.Json.GetProperty("items")[0].TryGetProperty("endedAt", out _));
    }

    [Fact]
    public async Task A_deleted_stage_is_gone_for_everyone()
    {
        var stageId = await local.CreateStageAsync("alice");
        var (viewer, _) = await local.JoinAsync(stageId, "bob");
        Assert.NotEmpty(viewer);

        Assert.Equal(204, (await local.DeleteAsync($"/stages/{stageId}", "alice")).Status);

        Assert.Equal(204, (await local.DeleteAsync($"/stages/{stageId}", "alice")).Status);
        Assert.Equal(404, (await StageAs("alice", stageId)).Status);
        Assert.Equal(404, (await StageAs("bob", stageId)).Status);
        Assert.Equal(404, (await local.PostAsync($"/stages/{stageId}/participant-tokens", "alice")).Status);
        Assert.Equal(404, (await local.GetAsync($"/stages/{stageId}/compositions", "alice")).Status);
        var mine = await local.GetAsync("/stages", "alice");
        Assert.DoesNotContain(stageId, mine.Json.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("stageId").GetString()));
    }
}
