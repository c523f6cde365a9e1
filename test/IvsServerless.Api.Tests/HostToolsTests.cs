using System.Net.Http.Json;
using System.Text.Json;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Core.Quotas;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tests;

/// <summary>
/// Ingest configurations for encoders (created once with their key, listed without, deleted by the owner or their co-host,
/// limited per stage) and cross-stage replication (hosts of both stages only), against the IVS emulator.
/// </summary>
public sealed class HostToolsTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() =>
        _api = await ApiHarness.StartAsync(new QuotaOptions { StagesPerOwner = 100, TokenMintsPerMinute = 1000 });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task An_ingest_configuration_returns_its_key_once_and_the_encoder_publishes_as_its_creator()
    {
        var stageId = await _api.CreateStageAsync("alice", coHosts: ["bob"]);
        var created = await CreateIngestAsync(stageId, "bob", "obs-bob", "RTMPS");
        Assert.Equal(201, created.Status);
        var body = created.Json;
        var streamKey = body.GetProperty("streamKey").GetString()!;
        Assert.StartsWith("rt_", streamKey, StringComparison.Ordinal);
        Assert.StartsWith("rtmps://", body.GetProperty("ingestEndpoint").GetString(), StringComparison.Ordinal);
        Assert.Equal(("obs-bob", "RTMPS", "bob", "INACTIVE"), (body.GetProperty("name").GetString(),
            body.GetProperty("ingestProtocol").GetString(), body.GetProperty("userId").GetString(), body.GetProperty("state").GetString()));
        Assert.DoesNotContain(streamKey, _api.Log.Text, StringComparison.Ordinal);

        // The attributes are the token policy's: the server-owned role.
        var id = body.GetProperty("ingestConfigurationId").GetString()!;
        var arn = _api.Stages.All.Single(s => s.StageId == stageId).StageArn.Replace("stage/" + stageId, "ingest-configuration/" + id,
            StringComparison.Ordinal);
        var stored = (await _api.Ivs.GetIngestConfigurationAsync(new GetIngestConfigurationRequest { Arn = arn })).IngestConfiguration!;
        Assert.Equal("co-host", stored.Attributes!["role"]);

        using var started = await _api.Http.PostAsJsonAsync("/_sim/encoder/start", new { streamKey });
        Assert.Equal(200, (int)started.StatusCode);
        var participant = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("participant");
        Assert.Equal(body.GetProperty("participantId").GetString(), participant.GetProperty("participantId").GetString());
        Assert.Equal("bob", participant.GetProperty("userId").GetString());

        var listed = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/ingest-configurations").As("alice"));
        Assert.Equal(200, listed.Status);
        var item = Assert.Single(listed.Json.GetProperty("items").EnumerateArray());
        Assert.Equal("ACTIVE", item.GetProperty("state").GetString());
        Assert.False(item.TryGetProperty("streamKey", out _));
        Assert.False(item.TryGetProperty("ingestEndpoint", out _));
        Assert.DoesNotContain(streamKey, listed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_input_is_checked_and_the_per_stage_limit_is_named()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var badName = await CreateIngestAsync(stageId, "alice", "has space", "RTMPS");
        Assert.Equal((400, "validation-failed"), (badName.Status, badName.Code));
        Assert.Equal(["name"], badName.ErrorFields);
        var whip = await CreateIngestAsync(stageId, "alice", "obs", "WHIP");
        Assert.Equal(["ingestProtocol"], whip.ErrorFields);
        var tooLong = await CreateIngestAsync(stageId, "alice", new string('a', 129), "RTMP");
        Assert.Equal(["name"], tooLong.ErrorFields);

        Assert.Equal(201, (await CreateIngestAsync(stageId, "alice", "one", "RTMP")).Status);
        Assert.Equal(201, (await CreateIngestAsync(stageId, "alice", "two", "RTMPS")).Status);
        var third = await CreateIngestAsync(stageId, "alice", "three", "RTMPS");
        Assert.Equal((409, "ingest-limit-reached"), (third.Status, third.Code));
        Assert.Contains("at most 2", third.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_deletes_any_ingest_configuration_a_co_host_only_their_own()
    {
        var stageId = await _api.CreateStageAsync("alice", coHosts: ["bob", "carol"]);
        var bobs = (await CreateIngestAsync(stageId, "bob", "bob", "RTMPS")).Json.GetProperty("ingestConfigurationId").GetString();
        var alices = (await CreateIngestAsync(stageId, "alice", "alice", "RTMPS")).Json.GetProperty("ingestConfigurationId").GetString();

        var notTheirs = await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/ingest-configurations/{alices}").As("carol"));
        Assert.Equal((403, "owner-only"), (notTheirs.Status, notTheirs.Code));
        Assert.Equal(204, (await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/ingest-configurations/{bobs}").As("bob"))).Status);
        var deleted = await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/ingest-configurations/{alices}").As("alice"));
        Assert.Equal(204, deleted.Status);
        var again = await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/ingest-configurations/{alices}").As("alice"));
        Assert.Equal((404, "ingest-configuration-not-found"), (again.Status, again.Code));

        // Another stage's configuration is not this stage's.
        var otherStage = await _api.CreateStageAsync("alice");
        var elsewhere = (await CreateIngestAsync(otherStage, "alice", "x", "RTMPS")).Json.GetProperty("ingestConfigurationId").GetString();
        var wrongStage = await _api.SendAsync(ApiRequest.Delete($"/stages/{stageId}/ingest-configurations/{elsewhere}").As("alice"));
        Assert.Equal((404, "ingest-configuration-not-found"), (wrongStage.Status, wrongStage.Code));
    }

    [Fact]
    public async Task A_publisher_is_replicated_to_another_stage_of_the_same_host_listed_and_stopped()
    {
        var source = await _api.CreateStageAsync("alice", coHosts: ["bob"]);
        var destination = await _api.CreateStageAsync("bob");
        var participantId = await PublishingAsync(source, "alice");

        var start = await _api.SendAsync(ApiRequest.Post($"/stages/{source}/replications").As("bob").Json(
            $$"""{"participantId":"{{participantId}}","destinationStageId":"{{destination}}","reconnectWindowSeconds":30}"""));
        Assert.Equal(201, start.Status);
        var started = start.Json;
        Assert.Equal(
            (destination, "ACTIVE"), (started.GetProperty("destinationStageId").GetString(), started.GetProperty("state").GetString()));

        var again = await _api.SendAsync(ApiRequest.Post($"/stages/{source}/replications").As("bob").Json(
            $$"""{"participantId":"{{participantId}}","destinationStageId":"{{destination}}"}"""));
        Assert.Equal((409, "replication-conflict"), (again.Status, again.Code));

        var listed = await _api.SendAsync(
            ApiRequest.Get($"/stages/{source}/replications").Query("participantId", participantId).As("alice"));
        var replica = Assert.Single(listed.Json.GetProperty("items").EnumerateArray());
        Assert.Equal(
            (destination, "ACTIVE"), (replica.GetProperty("destinationStageId").GetString(), replica.GetProperty("state").GetString()));
        Assert.StartsWith("st-", replica.GetProperty("destinationSessionId").GetString(), StringComparison.Ordinal);

        var stop = await _api.SendAsync(ApiRequest.Delete($"/stages/{source}/replications/{participantId}")
            .Query("destinationStageId", destination).As("bob"));
        Assert.Equal(204, stop.Status);
        var stopAgain = await _api.SendAsync(ApiRequest.Delete($"/stages/{source}/replications/{participantId}")
            .Query("destinationStageId", destination).As("bob"));
        Assert.Equal((404, "replication-not-found"), (stopAgain.Status, stopAgain.Code));
        listed = await _api.SendAsync(
            ApiRequest.Get($"/stages/{source}/replications").Query("participantId", participantId).As("alice"));
        Assert.Equal("STOPPED", Assert.Single(listed.Json.GetProperty("items").EnumerateArray()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Replication_needs_a_host_of_both_stages_and_valid_input()
    {
        var source = await _api.CreateStageAsync("alice");
        var notHers = await _api.CreateStageAsync("zed");
        var hidden = await _api.CreateStageAsync("zed", "private");
        var participantId = await PublishingAsync(source, "alice");

        var notHost = await StartAsync(source, participantId, notHers);
        Assert.Equal((403, "host-only"), (notHost.Status, notHost.Code));
        var invisible = await StartAsync(source, participantId, hidden);
        Assert.Equal((404, "stage-not-found"), (invisible.Status, invisible.Code));
        Assert.Equal(["reconnectWindowSeconds"], (await StartAsync(source, participantId, notHers, 301)).ErrorFields);
        Assert.Equal(["destinationStageId"], (await StartAsync(source, participantId, source)).ErrorFields);
        Assert.Equal(["destinationStageId"], (await StartAsync(source, participantId, "nope")).ErrorFields);
        var own = await _api.CreateStageAsync("alice");
        var missing = await StartAsync(source, "pNotHere0001", own);
        Assert.Equal((404, "participant-not-found"), (missing.Status, missing.Code));
        var noParticipant = await _api.SendAsync(ApiRequest.Get($"/stages/{source}/replications").As("alice"));
        Assert.Equal(["participantId"], noParticipant.ErrorFields);
    }

    private Task<ApiResponse> StartAsync(string source, string participantId, string destination, int window = 0) =>
        _api.SendAsync(ApiRequest.Post($"/stages/{source}/replications").As("alice").Json(
            $$"""{"participantId":"{{participantId}}","destinationStageId":"{{destination}}","reconnectWindowSeconds":{{window}}}"""));

    private Task<ApiResponse> CreateIngestAsync(string stageId, string user, string name, string protocol) =>
        _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/ingest-configurations").As(user)
            .Json(JsonSerializer.Serialize(new { name, ingestProtocol = protocol })));

    private async Task<string> PublishingAsync(string stageId, string user)
    {
        var token = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As(user));
        var participantId = await _api.JoinAsync(token.Json.GetProperty("token").GetString()!);
        using var published = await _api.Http.PostAsync($"/_sim/stages/{stageId}/participants/{participantId}/publish", null);
        Assert.Equal(200, (int)published.StatusCode);
        return participantId;
    }
}
