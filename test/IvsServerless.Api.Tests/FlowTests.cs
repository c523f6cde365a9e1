using IvsServerless.Api.Tests.Support;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tests;

/// <summary>The whole life of a stage through the handler, with the IVS emulator as the real IVS.</summary>
public abstract class FlowTestsBase : IAsyncLifetime
{
    private ApiHarness _api = null!;

    protected ApiHarness Api => _api;

    public async Task InitializeAsync() => _api = await StartHarnessAsync();

    protected abstract Task<ApiHarness> StartHarnessAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Create_tokens_kick_delete_and_refuse_tokens_afterwards()
    {
        var created = await _api.SendAsync(ApiRequest.Post("/stages").As("alice", "Alice")
            .Json("""{"name":"morning-show","visibility":"public","coHostIds":["bob"]}"""));
        Assert.Equal(201, created.Status);
        var stageId = created.Json.GetProperty("stageId").GetString()!;
        var arn = created.Json.GetProperty("stageArn").GetString()!;
        var ivsStage = await _api.Ivs.GetStageAsync(new GetStageRequest { Arn = arn });
        Assert.Equal("alice", ivsStage.Stage!.Tags!["ivs-serverless:owner"]);
        Assert.Equal("tests", ivsStage.Stage.Tags["ivs-serverless:managed-by"]);

        var owner = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice", "Alice"));
        Assert.Equal(201, owner.Status);
        Assert.Equal(["PUBLISH", "SUBSCRIBE"], owner.Json.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));

        var viewer = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("carol")
            .Json("""{"durationMinutes":30,"attributes":{"color":"red","isAdmin":"true"}}"""));
        Assert.Equal(201, viewer.Status);
        Assert.Equal(["SUBSCRIBE"], viewer.Json.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.InRange(
            viewer.Json.GetProperty("expirationTime").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(29),
            DateTimeOffset.UtcNow.AddMinutes(31));

        var greedy = await _api.SendAsync(
            ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("carol").Json("""{"capabilities":["PUBLISH"]}"""));
        Assert.Equal(403, greedy.Status);
        Assert.Equal("capability-not-allowed", greedy.Code);

        var participantId = await _api.JoinAsync(viewer.Json.GetProperty("token").GetString()!);
        var joined = await _api.Ivs.GetStageAsync(new GetStageRequest { Arn = arn });
        var session = joined.Stage!.ActiveSessionId!;
        var state = await _api.Ivs.GetParticipantAsync(
            new GetParticipantRequest { StageArn = arn, SessionId = session, ParticipantId = participantId });
        Assert.Equal("carol", state.Participant!.UserId);
        Assert.Equal("red", state.Participant.Attributes!["color"]);
        Assert.False(state.Participant.Attributes.ContainsKey("isAdmin"));
        Assert.Equal("viewer", state.Participant.Attributes["role"]);

        var byCoHost = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participants/{participantId}/disconnect").As("bob"));
        Assert.Equal(403, byCoHost.Status);
        var kick = await _api.SendAsync(
            ApiRequest.Post($"/stages/{stageId}/participants/{participantId}/disconnect").As("alice").Json("""{"reason":"spam"}"""));
        Assert.Equal(204, kick.Status);
        state = await _api.Ivs.GetParticipantAsync(
            new GetParticipantRequest { StageArn = arn, SessionId = session, ParticipantId = participantId });
        Assert.Equal(ParticipantState.Disconnected, state.Participant!.State);

        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}").As("alice"))).Status);
        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}").As("alice"))).Status);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _api.Ivs.GetStageAsync(new GetStageRequest { Arn = arn }));

        var afterDelete = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice"));
        Assert.Equal(404, afterDelete.Status);
        Assert.Equal("stage-not-found", afterDelete.Code);
        Assert.Equal(404, (await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice"))).Status);
    }

    [Fact]
    public async Task The_token_never_reaches_the_log()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var issued = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice"));
        var token = issued.Json.GetProperty("token").GetString()!;
        Assert.DoesNotContain(token, _api.Log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_returns_compositions_and_an_empty_participant_list_and_hides_invitees_from_non_owners()
    {
        var stageId = await _api.CreateStageAsync("alice", "private", coHosts: ["bob"], invited: ["dave"]);
        var asOwner = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice"));
        Assert.Equal(200, asOwner.Status);
        Assert.Equal(0, asOwner.Json.GetProperty("participants").GetArrayLength());
        Assert.Equal(0, asOwner.Json.GetProperty("compositions").GetArrayLength());
        Assert.Equal("dave", asOwner.Json.GetProperty("invitedUserIds")[0].GetString());

        var asInvitee = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("dave"));
        Assert.Equal(200, asInvitee.Status);
        Assert.False(asInvitee.Json.TryGetProperty("invitedUserIds", out _));
    }

    [Fact]
    public async Task Lists_page_through_mine_and_show_live_public_stages_only()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _api.CreateStageAsync("alice", i == 2 ? "private" : "public"));
        }

        var first = await _api.SendAsync(ApiRequest.Get("/stages").As("alice").Query("limit", "2"));
        Assert.Equal(200, first.Status);
        Assert.Equal(2, first.Json.GetProperty("items").GetArrayLength());
        var cursor = first.Json.GetProperty("nextCursor").GetString()!;
        var second = await _api.SendAsync(ApiRequest.Get("/stages").As("alice").Query("limit", "2").Query("cursor", cursor));
        Assert.Equal(1, second.Json.GetProperty("items").GetArrayLength());
        Assert.False(second.Json.TryGetProperty("nextCursor", out _));

        await _api.SetLiveAsync(ids[0], "st-aaaaaaaaaaaaa");
        await _api.SetLiveAsync(ids[2], "st-bbbbbbbbbbbbb");
        var live = await _api.SendAsync(ApiRequest.Get("/stages").As("zoe").Query("scope", "live"));
        Assert.Equal([ids[0]], live.Json.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("stageId").GetString()));

        var bad = await _api.SendAsync(ApiRequest.Get("/stages").As("alice").Query("cursor", "forged"));
        Assert.Equal(400, bad.Status);
        Assert.Equal("invalid-cursor", bad.Code);
    }
}

/// <summary>With in-memory stores.</summary>
public sealed class FlowTests : FlowTestsBase
{
    protected override Task<ApiHarness> StartHarnessAsync() => ApiHarness.StartAsync();

    [Fact]
    public async Task Patch_retries_after_losing_a_race_and_gives_409_when_it_keeps_losing()
    {
        var stageId = await Api.CreateStageAsync("alice");
        Api.Stages.ConflictsToInject = 2;
        var patched = await Api.SendAsync(
            ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"visibility":"private","coHostIds":["bob"]}"""));
        Assert.Equal(200, patched.Status);
        Assert.Equal("private", patched.Json.GetProperty("visibility").GetString());
        Assert.Equal("bob", patched.Json.GetProperty("coHostIds")[0].GetString());

        var renamed = await Api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"name":"evening-show"}"""));
        Assert.Equal(200, renamed.Status);
        var ivsStage = await Api.Ivs.GetStageAsync(new GetStageRequest { Arn = renamed.Json.GetProperty("stageArn").GetString()! });
        Assert.Equal("evening-show", ivsStage.Stage!.Name);

        Api.Stages.ConflictsToInject = 100;
        var lost = await Api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"name":"renamed"}"""));
        Assert.Equal(409, lost.Status);
        Api.Stages.ConflictsToInject = 0;
    }
}

/// <summary>With the production DynamoDB adapters on DynamoDB Local.</summary>
public sealed class FlowTestsOnDynamoDbLocal : FlowTestsBase
{
    protected override Task<ApiHarness> StartHarnessAsync() => ApiHarness.StartOnDynamoDbLocalAsync();
}
