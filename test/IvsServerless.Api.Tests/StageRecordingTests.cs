using System.Net.Http.Json;
using System.Text.Json;
using IvsServerless.Api.Tests.Support;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Api.Tests;

/// <summary>The stage's <c>recording</c> setting: validated as the IVS model, mapped to the IVS stage, 409 while recording.</summary>
public abstract class StageRecordingTestsBase : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await StartHarnessAsync();

    protected abstract Task<ApiHarness> StartHarnessAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Create_with_recording_configures_the_ivs_stage_with_the_deployment_s_storage_and_shows_it()
    {
        var created = await _api.SendAsync(ApiRequest.Post("/stages").As("alice").Json("""
            {"name":"rec","visibility":"public","recording":{"mode":"individual","mediaTypes":["AUDIO_ONLY"],
             "thumbnailConfiguration":{"recordingMode":"INTERVAL","targetIntervalSeconds":5,"storage":["SEQUENTIAL","LATEST"]},
             "recordingReconnectWindowSeconds":30,"hlsConfiguration":{"targetSegmentDurationSeconds":2}}}
            """));
        Assert.Equal(201, created.Status);
        var recording = created.Json.GetProperty("recording");
        Assert.Equal("individual", recording.GetProperty("mode").GetString());
        Assert.Equal(30, recording.GetProperty("recordingReconnectWindowSeconds").GetInt32());

        var ivs = await IvsRecordingAsync(created.Json.GetProperty("stageArn").GetString()!);
        Assert.Equal(await StorageArnAsync(), ivs.StorageConfigurationArn);
        Assert.Equal([ParticipantRecordingMediaType.AudioOnly], ivs.MediaTypes);
        Assert.Equal(ThumbnailRecordingMode.Interval, ivs.ThumbnailConfiguration!.RecordingMode);
        Assert.Equal(5, ivs.ThumbnailConfiguration.TargetIntervalSeconds);
        Assert.Equal([ThumbnailStorageType.Sequential, ThumbnailStorageType.Latest], ivs.ThumbnailConfiguration.Storage);
        Assert.Equal(30, ivs.RecordingReconnectWindowSeconds);
        Assert.Equal(2, ivs.HlsConfiguration!.TargetSegmentDurationSeconds);

        // Read back from the store, too.
        var read = await _api.SendAsync(ApiRequest.Get($"/stages/{created.Json.GetProperty("stageId").GetString()}").As("bob"));
        Assert.Equal(recording.GetRawText(), read.Json.GetProperty("recording").GetRawText());
    }

    [Fact]
    public async Task A_stage_without_recording_says_off_and_its_ivs_stage_records_nothing()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var stage = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice"));
        Assert.Equal("""{"mode":"off"}""", stage.Json.GetProperty("recording").GetRawText());
        Assert.Equal("", (await IvsRecordingAsync(stage.Json.GetProperty("stageArn").GetString()!)).StorageConfigurationArn);
    }

    [Fact]
    public async Task Patch_turns_recording_on_with_ivs_defaults_and_off_again_owner_only()
    {
        var stageId = await _api.CreateStageAsync("alice", coHosts: ["carol"]);
        var on = """{"recording":{"mode":"individual"}}""";
        Assert.Equal(403, (await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("carol").Json(on))).Status);

        var patched = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json(on));
        Assert.Equal(200, patched.Status);
        var view = patched.Json.GetProperty("recording");
        Assert.Equal("AUDIO_VIDEO", view.GetProperty("mediaTypes")[0].GetString());
        Assert.Equal("DISABLED", view.GetProperty("thumbnailConfiguration").GetProperty("recordingMode").GetString());
        Assert.Equal(60, view.GetProperty("thumbnailConfiguration").GetProperty("targetIntervalSeconds").GetInt32());
        Assert.Equal(6, view.GetProperty("hlsConfiguration").GetProperty("targetSegmentDurationSeconds").GetInt32());
        var arn = patched.Json.GetProperty("stageArn").GetString()!;
        Assert.Equal(await StorageArnAsync(), (await IvsRecordingAsync(arn)).StorageConfigurationArn);

        // A PATCH without the member keeps it.
        var renamed = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"name":"renamed"}"""));
        Assert.Equal("individual", renamed.Json.GetProperty("recording").GetProperty("mode").GetString());

        var off = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"recording":{"mode":"off"}}"""));
        Assert.Equal("""{"mode":"off"}""", off.Json.GetProperty("recording").GetRawText());
        Assert.Equal("", (await IvsRecordingAsync(arn)).StorageConfigurationArn);
    }

    [Theory]
    [InlineData("""{"mode":"on"}""", "recording.mode")]
    [InlineData("""{}""", "recording.mode")]
    [InlineData("""{"mode":"off","mediaTypes":["AUDIO_ONLY"]}""", "recording")]
    [InlineData("""{"mode":"individual","mediaTypes":["VIDEO"]}""", "recording.mediaTypes")]
    [InlineData("""{"mode":"individual","mediaTypes":["AUDIO_ONLY","NONE"]}""", "recording.mediaTypes")]
    [InlineData("""{"mode":"individual","thumbnailConfiguration":{"recordingMode":"SOMETIMES"}}""",
        "recording.thumbnailConfiguration.recordingMode")]
    [InlineData("""{"mode":"individual","thumbnailConfiguration":{"targetIntervalSeconds":0}}""",
        "recording.thumbnailConfiguration.targetIntervalSeconds")]
    [InlineData("""{"mode":"individual","thumbnailConfiguration":{"targetIntervalSeconds":86401}}""",
        "recording.thumbnailConfiguration.targetIntervalSeconds")]
    [InlineData("""{"mode":"individual","thumbnailConfiguration":{"storage":["SEQUENTIAL","LATEST","LATEST"]}}""",
        "recording.thumbnailConfiguration.storage")]
    [InlineData("""{"mode":"individual","thumbnailConfiguration":{"storage":["ALL"]}}""", "recording.thumbnailConfiguration.storage")]
    [InlineData("""{"mode":"individual","recordingReconnectWindowSeconds":-1}""", "recording.recordingReconnectWindowSeconds")]
    [InlineData("""{"mode":"individual","recordingReconnectWindowSeconds":301}""", "recording.recordingReconnectWindowSeconds")]
    [InlineData("""{"mode":"individual","hlsConfiguration":{"targetSegmentDurationSeconds":1}}""",
        "recording.hlsConfiguration.targetSegmentDurationSeconds")]
    [InlineData("""{"mode":"individual","hlsConfiguration":{"targetSegmentDurationSeconds":11}}""",
        "recording.hlsConfiguration.targetSegmentDurationSeconds")]
    public async Task Invalid_options_are_400_naming_the_field_and_change_nothing(string recording, string field)
    {
        var before = await _api.IvsStageCountAsync();
        var create = await _api.SendAsync(ApiRequest.Post("/stages").As("alice")
            .Json($$"""{"name":"bad","visibility":"public","recording":{{recording}}}"""));
        Assert.Equal(400, create.Status);
        Assert.Equal([field], create.ErrorFields);
        Assert.Equal(before, await _api.IvsStageCountAsync());

        var stageId = await _api.CreateStageAsync("alice");
        var patch = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json($$"""{"recording":{{recording}}}"""));
        Assert.Equal(400, patch.Status);
        Assert.Equal([field], patch.ErrorFields);
        var stage = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice"));
        Assert.Equal(1, stage.Json.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_bounds_themselves_are_accepted()
    {
        var response = await _api.SendAsync(ApiRequest.Post("/stages").As("alice").Json("""
            {"name":"edges","visibility":"public","recording":{"mode":"individual","mediaTypes":[],
             "thumbnailConfiguration":{"targetIntervalSeconds":86400,"storage":[]},
             "recordingReconnectWindowSeconds":300,"hlsConfiguration":{"targetSegmentDurationSeconds":10}}}
            """));
        Assert.Equal(201, response.Status);
        var ivs = await IvsRecordingAsync(response.Json.GetProperty("stageArn").GetString()!);
        Assert.Equal((86400, 300, 10), (ivs.ThumbnailConfiguration!.TargetIntervalSeconds, ivs.RecordingReconnectWindowSeconds,
            ivs.HlsConfiguration!.TargetSegmentDurationSeconds));
    }

    [Fact]
    public async Task Changing_recording_while_a_participant_is_recorded_is_409_recording_active_and_keeps_the_setting()
    {
        var created = await _api.SendAsync(ApiRequest.Post("/stages").As("alice")
            .Json("""{"name":"live","visibility":"public","recording":{"mode":"individual"}}"""));
        var stageId = created.Json.GetProperty("stageId").GetString()!;
        var token = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("alice")
            .Json("""{"capabilities":["PUBLISH","SUBSCRIBE"]}"""));
        Assert.Equal(201, token.Status);
        var participantId = await _api.JoinAsync(token.Json.GetProperty("token").GetString()!);
        using (var publish = await _api.Http.PostAsJsonAsync($"/_sim/stages/{stageId}/participants/{participantId}/publish", new { }))
        {
            publish.EnsureSuccessStatusCode();
        }

        var refused = await _api.SendAsync(ApiRequest.Patch($"/stages/{stageId}").As("alice").Json("""{"recording":{"mode":"off"}}"""));
        Assert.Equal((409, "recording-active"), (refused.Status, refused.Code));
        var stage = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("alice"));
        Assert.Equal("individual", stage.Json.GetProperty("recording").GetProperty("mode").GetString());
        Assert.Equal(await StorageArnAsync(),
            (await IvsRecordingAsync(created.Json.GetProperty("stageArn").GetString()!)).StorageConfigurationArn);
    }

    private async Task<AutoParticipantRecordingConfiguration> IvsRecordingAsync(string stageArn) =>
        (await _api.Ivs.GetStageAsync(new GetStageRequest { Arn = stageArn })).Stage!.AutoParticipantRecordingConfiguration!;

    private async Task<string> StorageArnAsync() =>
        (await _api.Ivs.ListStorageConfigurationsAsync(new ListStorageConfigurationsRequest())).StorageConfigurations.Single().Arn;
}

/// <summary>With in-memory stores.</summary>
public sealed class StageRecordingTests : StageRecordingTestsBase
{
    protected override Task<ApiHarness> StartHarnessAsync() => ApiHarness.StartAsync();
}

/// <summary>With the production DynamoDB adapters on DynamoDB Local (the setting round-trips through the stage item).</summary>
public sealed class StageRecordingTestsOnDynamoDbLocal : StageRecordingTestsBase
{
    protected override Task<ApiHarness> StartHarnessAsync() => ApiHarness.StartOnDynamoDbLocalAsync();
}
