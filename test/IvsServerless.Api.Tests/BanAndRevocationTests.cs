using System.Net.Http.Json;
using IvsServerless.Api.Tests.Support;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tests;

/// <summary>
/// Bans (disconnect with <c>ban: true</c>, the ban list, lifting a ban) and revocation that takes effect at once
/// (PATCH removing access disconnects the user's participants), against the IVS emulator.
/// </summary>
public sealed class BanAndRevocationTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_ban_disconnects_every_participant_of_the_user_refuses_tokens_and_can_be_lifted()
    {
        var stageId = await _api.CreateStageAsync("alice", coHosts: ["mallory"], invited: ["mallory"]);
        var host = await JoinAsync(stageId, "alice");
        var first = await JoinAsync(stageId, "mallory");
        var second = await JoinAsync(stageId, "mallory");
        var bystander = await JoinAsync(stageId, "carol");

        var ban = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participants/{first}/disconnect").As("alice")
            .Json("""{"reason":"spam","ban":true}"""));

        Assert.Equal(204, ban.Status);
        Assert.Equal(new[] { host, bystander }.Order(StringComparer.Ordinal), await ConnectedAsync(stageId));
        Assert.DoesNotContain(second, await ConnectedAsync(stageId));
        var token = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("mallory"));
        Assert.Equal(403, token.Status);
        Assert.Equal("banned", token.Code);
        var stage = (await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice"))).Json;
        Assert.Empty(stage.GetProperty("coHostIds").EnumerateArray());
        Assert.Empty(stage.GetProperty("invitedUserIds").EnumerateArray());
        var bans = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/bans").As("alice"));
        Assert.Equal("""{"items":[{"userId":"mallory"}]}""", bans.Body);

        var reinvite = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"coHostIds":["mallory"]}"""));
        Assert.Equal(400, reinvite.Status);
        Assert.Equal(["coHostIds"], reinvite.ErrorFields);

        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/bans/mallory").As("alice"))).Status);
        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/bans/mallory").As("alice"))).Status);
        Assert.Equal("""{"items":[]}""", (await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/bans").As("alice"))).Body);
        Assert.Equal(201, (await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("mallory"))).Status);
    }

    [Fact]
    public async Task The_owner_cannot_be_banned_and_nothing_changes()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var host = await JoinAsync(stageId, "alice");

        var ban = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participants/{host}/disconnect").As("alice")
            .Json("""{"ban":true}"""));

        Assert.Equal(400, ban.Status);
        Assert.Equal(["ban"], ban.ErrorFields);
        Assert.Equal([host], await ConnectedAsync(stageId));
        Assert.Empty(_api.Stages.All.Single().BannedUserIds);
    }

    [Fact]
    public async Task Banning_a_participant_not_in_the_live_session_is_404_and_bans_nobody()
    {
        var stageId = await _api.CreateStageAsync("alice");
        await JoinAsync(stageId, "carol");

        var ban = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participants/pUnknown0001/disconnect").As("alice")
            .Json("""{"ban":true}"""));

        Assert.Equal(404, ban.Status);
        Assert.Equal("participant-not-found", ban.Code);
        Assert.Empty(_api.Stages.All.Single().BannedUserIds);
    }

    [Fact]
    public async Task A_plain_kick_revokes_that_participant_only_and_the_user_may_mint_again()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var token = await TokenAsync(stageId, "carol");
        var kicked = await _api.JoinAsync(token);
        var other = await JoinAsync(stageId, "carol");

        Assert.Equal(204,
            (await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participants/{kicked}/disconnect").As("alice"))).Status);

        Assert.Equal([other], await ConnectedAsync(stageId));
        using var rejoin = await _api.Http.PostAsJsonAsync("/_sim/join", new Dictionary<string, string> { ["token"] = token });
        Assert.Equal(403, (int)rejoin.StatusCode);
        Assert.Equal(201, (await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("carol"))).Status);
    }

    [Fact]
    public async Task Removing_an_invitee_of_a_private_stage_disconnects_them_at_once()
    {
        var stageId = await _api.CreateStageAsync("alice", "private", coHosts: ["bob"], invited: ["carol", "dave"]);
        var host = await JoinAsync(stageId, "alice");
        var coHost = await JoinAsync(stageId, "bob");
        await JoinAsync(stageId, "carol");
        var dave = await JoinAsync(stageId, "dave");

        var update = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"invitedUserIds":["dave"]}"""));

        Assert.Equal(200, update.Status);
        Assert.Equal(new[] { host, coHost, dave }.Order(StringComparer.Ordinal), await ConnectedAsync(stageId));
    }

    [Fact]
    public async Task Removing_a_co_host_of_a_private_stage_who_is_not_invited_disconnects_them()
    {
        var stageId = await _api.CreateStageAsync("alice", "private", coHosts: ["bob", "erin"], invited: ["erin"]);
        var host = await JoinAsync(stageId, "alice");
        await JoinAsync(stageId, "bob");
        var erin = await JoinAsync(stageId, "erin");

        var update = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"coHostIds":[]}"""));

        Assert.Equal(200, update.Status);
        Assert.Equal(new[] { host, erin }.Order(StringComparer.Ordinal), await ConnectedAsync(stageId));
    }

    [Fact]
    public async Task Making_a_stage_private_disconnects_everyone_who_may_no_longer_join()
    {
        var stageId = await _api.CreateStageAsync("alice", coHosts: ["bob"], invited: ["carol"]);
        var host = await JoinAsync(stageId, "alice");
        var coHost = await JoinAsync(stageId, "bob");
        var invitee = await JoinAsync(stageId, "carol");
        await JoinAsync(stageId, "stranger-1");
        await JoinAsync(stageId, "stranger-2");

        var update = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"visibility":"private"}"""));

        Assert.Equal(200, update.Status);
        Assert.Equal(new[] { host, coHost, invitee }.Order(StringComparer.Ordinal), await ConnectedAsync(stageId));
        var token = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("stranger-1"));
        Assert.Equal(404, token.Status);
    }

    [Fact]
    public async Task A_co_host_demoted_on_a_public_stage_stays_connected_to_exchange_and_a_rename_disconnects_nobody()
    {
        var stageId = await _api.CreateStageAsync("alice", coHosts: ["bob"]);
        var coHost = await JoinAsync(stageId, "bob");
        var viewer = await JoinAsync(stageId, "carol");

        Assert.Equal(200, (await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"coHostIds":[]}"""))).Status);
        Assert.Equal(200, (await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"name":"renamed"}"""))).Status);

        Assert.Equal(new[] { coHost, viewer }.Order(StringComparer.Ordinal), await ConnectedAsync(stageId));
    }

    private async Task<string> TokenAsync(string stageId, string user)
    {
        var response = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As(user));
        Assert.Equal(201, response.Status);
        return response.Json.GetProperty("token").GetString()!;
    }

    private async Task<string> JoinAsync(string stageId, string user) => await _api.JoinAsync(await TokenAsync(stageId, user));

    private async Task<IReadOnlyList<string>> ConnectedAsync(string stageId)
    {
        var arn = _api.Stages.All.Single(s => s.StageId == stageId).StageArn;
        var session = (await _api.Ivs.GetStageAsync(new GetStageRequest { Arn = arn })).Stage!.ActiveSessionId;
        if (string.IsNullOrEmpty(session))
        {
            return [];
        }

        var list = await _api.Ivs.ListParticipantsAsync(new ListParticipantsRequest
        {
            StageArn = arn,
            SessionId = session,
            FilterByState = ParticipantState.Connected,
            MaxResults = 100,
        });
        return [.. list.Participants.Select(p => p.ParticipantId!).Order(StringComparer.Ordinal)];
    }
}
