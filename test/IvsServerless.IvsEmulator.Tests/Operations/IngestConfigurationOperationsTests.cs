using System.Net;
using System.Text.Json;
using IvsServerless.IvsEmulator.State;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

public sealed class IngestConfigurationOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task CreateIngestConfiguration_returns_an_inactive_detached_configuration_with_a_stream_key()
    {
        var json = await Client.OkAsync("CreateIngestConfiguration", new
        {
            ingestProtocol = "RTMPS",
            name = "obs-host",
            userId = "user-1",
            attributes = new { role = "host" },
            tags = new { env = "test" },
        });

        var configuration = json.GetProperty("ingestConfiguration");
        Assert.Equal(
            [
            "arn", "attributes", "ingestProtocol", "name", "participantId", "redundantIngest", "stageArn", "state", "streamKey", "tags",
            "userId"],
            configuration.Members());
        var arn = configuration.GetProperty("arn").GetString()!;
        Assert.Matches("^arn:aws:ivs:us-east-1:123456789012:ingest-configuration/[a-zA-Z0-9]{12}$", arn);
        var id = arn[(arn.LastIndexOf('/') + 1)..];
        Assert.Matches($"^rt_123456789012_us-east-1_{id}_[a-zA-Z0-9]+$", configuration.GetProperty("streamKey").GetString());
        Assert.Equal("RTMPS", configuration.GetProperty("ingestProtocol").GetString());
        Assert.Equal("", configuration.GetProperty("stageArn").GetString());
        Assert.Matches("^[a-zA-Z0-9]{12}$", configuration.GetProperty("participantId").GetString());
        Assert.Equal("INACTIVE", configuration.GetProperty("state").GetString());
        Assert.Equal("obs-host", configuration.GetProperty("name").GetString());
        Assert.Equal("user-1", configuration.GetProperty("userId").GetString());
        Assert.False(configuration.GetProperty("redundantIngest").GetBoolean());
        Assert.Equal("host", configuration.GetProperty("attributes").GetProperty("role").GetString());
        Assert.Equal("test", configuration.GetProperty("tags").GetProperty("env").GetString());

        var fetched = await Client.OkAsync("GetIngestConfiguration", new { arn });
        Assert.Equal(configuration.ToString(), fetched.GetProperty("ingestConfiguration").ToString());
    }

    [Fact]
    public async Task CreateIngestConfiguration_attaches_to_a_stage_and_RTMP_works_with_insecureIngest()
    {
        var stageArn = await Client.CreateStageAsync();
        var json = await Client.OkAsync("CreateIngestConfiguration", new { ingestProtocol = "RTMP", insecureIngest = true, stageArn });

        Assert.Equal(stageArn, json.GetProperty("ingestConfiguration").GetProperty("stageArn").GetString());
        Assert.Equal("RTMP", json.GetProperty("ingestConfiguration").GetProperty("ingestProtocol").GetString());
    }

    [Fact]
    public async Task CreateIngestConfiguration_with_redundantIngest_returns_backup_credentials()
    {
        var configuration = (await Client.OkAsync("CreateIngestConfiguration", new { ingestProtocol = "RTMPS", redundantIngest = true }))
            .GetProperty("ingestConfiguration");

        Assert.True(configuration.GetProperty("redundantIngest").GetBoolean());
        var credential = Assert.Single(configuration.GetProperty("redundantIngestCredentials").EnumerateArray());
        Assert.Equal(["participantId", "streamKey"], credential.Members());
        Assert.NotEqual(configuration.GetProperty("participantId").GetString(), credential.GetProperty("participantId").GetString());
        Assert.NotEqual(configuration.GetProperty("streamKey").GetString(), credential.GetProperty("streamKey").GetString());
        Assert.StartsWith("rt_123456789012_us-east-1_", credential.GetProperty("streamKey").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""", "Value null at 'ingestProtocol' failed to satisfy constraint: Member must not be null")]
    [
        InlineData(
        """{"ingestProtocol":"SRT"}""",
        "at 'ingestProtocol' failed to satisfy constraint: Member must satisfy enum value set: [RTMP, RTMPS]")]
    [
        InlineData(
        """{"ingestProtocol":"RTMP"}""",
        "at 'insecureIngest' failed to satisfy constraint: Member must be true when ingestProtocol is RTMP")]
    [InlineData("""{"ingestProtocol":"RTMP","insecureIngest":false}""", "Member must be true when ingestProtocol is RTMP")]
    [
        InlineData(
        """{"ingestProtocol":"RTMPS","stageArn":"arn:aws:ivs:us-east-1:123456789012:channel/abcdABCDefgh"}""",
        "at 'stageArn' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [InlineData("""{"ingestProtocol":"RTMPS","name":"no spaces"}""", "at 'name' failed to satisfy constraint")]
    [
        InlineData(
        """{"ingestProtocol":"RTMPS","tags":{"k":"012345678901234567890123456789012345678901234567890123456789012345678901234567890123456"""
        + """7890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"""
        + """1234567890123456789012345678901234567890123456789"}}""", "Member must have length less than or equal to 256")]
    public async Task CreateIngestConfiguration_rejects_constraint_violations(string body, string expected)
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/CreateIngestConfiguration", body);
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(expected, response.ExceptionMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateIngestConfiguration_rejects_long_user_ids_big_attributes_and_unknown_stages()
    {
        (await Client.CallAsync("CreateIngestConfiguration", new { ingestProtocol = "RTMPS", userId = new string('u', 129) }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (
            await Client.CallAsync(
            "CreateIngestConfiguration", new { ingestProtocol = "RTMPS", attributes = new { big = new string('a', 1022) } }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
        // CreateIngestConfiguration models no ResourceNotFoundException: an unknown stage is invalid input.
        (
            await Client.CallAsync(
            "CreateIngestConfiguration", new
            {
                ingestProtocol = "RTMPS",
                stageArn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh"
            }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
    }

    [Theory]
    [InlineData("GetIngestConfiguration")]
    [InlineData("DeleteIngestConfiguration")]
    [InlineData("UpdateIngestConfiguration")]
    public async Task Operations_on_one_configuration_validate_the_arn_and_answer_404_for_an_unknown_one(string operation)
    {
        (await Client.CallAsync(operation, new { })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:ingest-configuration/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task UpdateIngestConfiguration_attaches_detaches_and_toggles_redundant_ingest()
    {
        var arn = await Client.CreateIngestConfigurationAsync();
        var stageArn = await Client.CreateStageAsync();

        var attached = (await Client.OkAsync("UpdateIngestConfiguration", new { arn, stageArn, redundantIngest = true })).GetProperty(
            "ingestConfiguration");
        Assert.Equal(stageArn, attached.GetProperty("stageArn").GetString());
        Assert.True(attached.GetProperty("redundantIngest").GetBoolean());
        Assert.Equal(1, attached.GetProperty("redundantIngestCredentials").GetArrayLength());

        var unchanged = (await Client.OkAsync("UpdateIngestConfiguration", new { arn })).GetProperty("ingestConfiguration");
        Assert.Equal(attached.ToString(), unchanged.ToString());

        var detached = (await Client.OkAsync("UpdateIngestConfiguration", new { arn, stageArn = "", redundantIngest = false })).GetProperty(
            "ingestConfiguration");
        Assert.Equal("", detached.GetProperty("stageArn").GetString());
        Assert.False(detached.GetProperty("redundantIngest").GetBoolean());
        Assert.False(detached.TryGetProperty("redundantIngestCredentials", out _));
        Assert.Equal(attached.GetProperty("streamKey").GetString(), detached.GetProperty("streamKey").GetString());
    }

    [Fact]
    public async Task UpdateIngestConfiguration_rejects_a_bad_or_unknown_stage()
    {
        var arn = await Client.CreateIngestConfigurationAsync();

        (await Client.CallAsync("UpdateIngestConfiguration", new { arn, stageArn = "stage/abc" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (
            await Client.CallAsync(
            "UpdateIngestConfiguration", new { arn, stageArn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task An_active_configuration_cannot_be_updated_nor_deleted_without_force()
    {
        var stageArn = await Client.CreateStageAsync();
        var arn = await Client.CreateIngestConfigurationAsync(new { ingestProtocol = "RTMPS", stageArn });
        SetState(arn, IngestConfigurationStates.Active);

        (await Client.CallAsync("UpdateIngestConfiguration", new { arn, stageArn = "" })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");
        (await Client.CallAsync("DeleteIngestConfiguration", new { arn })).AssertError(HttpStatusCode.Conflict, "ConflictException");
        (await Client.CallAsync("DeleteIngestConfiguration", new { arn, force = false })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");
        Assert.Equal(
            stageArn, (await Client.OkAsync("GetIngestConfiguration", new { arn })).GetProperty("ingestConfiguration").GetProperty(
            "stageArn").GetString());

        Assert.Equal("{}", (await Client.CallAsync("DeleteIngestConfiguration", new { arn, force = true })).Text);
        (await Client.CallAsync("GetIngestConfiguration", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task DeleteIngestConfiguration_removes_an_inactive_configuration_and_its_tags()
    {
        var arn = await Client.CreateIngestConfigurationAsync();

        await Client.OkAsync("DeleteIngestConfiguration", new { arn });

        (await Client.CallAsync("DeleteIngestConfiguration", new { arn })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.SendRawAsync(HttpMethod.Get, "/tags/" + Uri.EscapeDataString(arn))).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task DeleteStage_detaches_the_configurations_attached_to_it()
    {
        var stageArn = await Client.CreateStageAsync();
        var otherStageArn = await Client.CreateStageAsync();
        var attached = await Client.CreateIngestConfigurationAsync(new { ingestProtocol = "RTMPS", stageArn });
        var elsewhere = await Client.CreateIngestConfigurationAsync(new { ingestProtocol = "RTMPS", stageArn = otherStageArn });

        await Client.OkAsync("DeleteStage", new { arn = stageArn });

        Assert.Equal(
            "", (await Client.OkAsync("GetIngestConfiguration", new { arn = attached })).GetProperty("ingestConfiguration").GetProperty(
            "stageArn").GetString());
        Assert.Equal(
            otherStageArn, (await Client.OkAsync("GetIngestConfiguration", new { arn = elsewhere })).GetProperty(
            "ingestConfiguration").GetProperty("stageArn").GetString());
    }

    [Fact]
    public async Task ListIngestConfigurations_filters_by_stage_or_state_and_hides_stream_keys()
    {
        var stageArn = await Client.CreateStageAsync();
        var onStage = await Client.CreateIngestConfigurationAsync(new { ingestProtocol = "RTMPS", stageArn, name = "on-stage" });
        var active = await Client.CreateIngestConfigurationAsync();
        SetState(active, IngestConfigurationStates.Active);

        var byStage = await ListAsync(new { filterByStageArn = stageArn });
        var summary = Assert.Single(byStage);
        Assert.Equal(["arn", "ingestProtocol", "name", "participantId", "redundantIngest", "stageArn", "state"], summary.Members());
        Assert.Equal(onStage, summary.GetProperty("arn").GetString());
        Assert.Equal("on-stage", summary.GetProperty("name").GetString());

        var byState = await ListAsync(new { filterByState = "ACTIVE" });
        Assert.Equal([active], byState.Select(c => c.GetProperty("arn").GetString()));
        Assert.DoesNotContain(active, (await ListAsync(new { filterByState = "INACTIVE" })).Select(c => c.GetProperty("arn").GetString()));

        var all = await ListAsync(new { });
        Assert.Contains(onStage, all.Select(c => c.GetProperty("arn").GetString()));
        Assert.All(all, c => Assert.False(c.TryGetProperty("streamKey", out _)));
    }

    [Fact]
    public async Task ListIngestConfigurations_rejects_two_filters_bad_filters_and_bad_paging()
    {
        var stageArn = await Client.CreateStageAsync();
        (await Client.CallAsync("ListIngestConfigurations", new { filterByStageArn = stageArn, filterByState = "ACTIVE" }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListIngestConfigurations", new { filterByState = "LIVE" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListIngestConfigurations", new { filterByStageArn = "" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListIngestConfigurations", new { maxResults = 101 })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
    }

    [Fact]
    public async Task ListIngestConfigurations_pages_through_everything_once()
    {
        for (var i = 0; i < 3; i++)
        {
            await Client.CreateIngestConfigurationAsync();
        }

        var seen = new List<string>();
        string? nextToken = null;
        do
        {
            var page = await Client.OkAsync("ListIngestConfigurations", new { maxResults = 2, nextToken });
            seen.AddRange(page.GetProperty("ingestConfigurations").EnumerateArray().Select(c => c.GetProperty("arn").GetString()!));
            nextToken = page.TryGetProperty("nextToken", out var token) ? token.GetString() : null;
        }
        while (nextToken is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen.Count >= 3);
    }

    [Fact]
    public async Task An_encoder_streaming_with_the_key_joins_and_publishes_as_the_configurations_participant_and_stops()
    {
        var stageArn = await Client.CreateStageAsync();
        var configuration = (await Client.OkAsync("CreateIngestConfiguration", new
        {
            ingestProtocol = "RTMPS",
            stageArn,
            userId = "host-1",
            attributes = new { role = "owner" },
        })).GetProperty("ingestConfiguration");
        var (arn, participantId) = (configuration.GetProperty("arn").GetString()!, configuration.GetProperty("participantId").GetString()!);
        var body = JsonSerializer.Serialize(new { streamKey = configuration.GetProperty("streamKey").GetString() });

        var started = await Client.SendRawAsync(HttpMethod.Post, "/_sim/encoder/start", body);
        Assert.Equal(HttpStatusCode.OK, started.Status);
        var participant = started.Json.GetProperty("participant");
        Assert.Equal(participantId, participant.GetProperty("participantId").GetString());
        Assert.Equal("host-1", participant.GetProperty("userId").GetString());
        Assert.Equal("RTMPS", participant.GetProperty("protocol").GetString());
        Assert.Equal(arn, participant.GetProperty("ingestConfigurationArn").GetString());
        Assert.True(participant.GetProperty("published").GetBoolean());
        Assert.Equal("ACTIVE", (await Client.OkAsync("GetIngestConfiguration", new { arn })).GetProperty("ingestConfiguration")
            .GetProperty("state").GetString());
        Assert.Contains(emulator.Events.Recent(), e => e.Resources[0] == stageArn && e.EventName == "Participant Published"
            && e.Detail["participant_id"]?.GetValue<string>() == participantId);
        (await Client.SendRawAsync(HttpMethod.Post, "/_sim/encoder/start", body)).AssertError(HttpStatusCode.Conflict, "ConflictException");

        var stopped = await Client.SendRawAsync(HttpMethod.Post, "/_sim/encoder/stop", body);
        Assert.Equal(HttpStatusCode.OK, stopped.Status);
        Assert.Equal("DISCONNECTED", stopped.Json.GetProperty("participant").GetProperty("state").GetString());
        Assert.Equal("INACTIVE", stopped.Json.GetProperty("state").GetString());
        (await Client.SendRawAsync(HttpMethod.Post, "/_sim/encoder/start", """{"streamKey":"rt_nope"}"""))
            .AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");
    }

    /// <summary>ACTIVE comes from someone publishing with the key, which only the simulation surface does.</summary>
    private void SetState(string arn, string state) =>
        emulator.Emulator.Run(null, context => context.State.IngestConfigurations[arn].State = state);

    private async Task<List<JsonElement>> ListAsync(object filter) =>
        (await Client.OkAsync("ListIngestConfigurations", filter)).GetProperty("ingestConfigurations").EnumerateArray().ToList();
}
