using System.Net;
using System.Text.Json;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

public sealed class StageOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task CreateStage_returns_stage_with_real_arn_endpoints_and_default_recording()
    {
        var json = await Client.OkAsync("CreateStage", new { name = "my-stage_1", tags = new { env = "test" } });

        var stage = json.GetProperty("stage");
        Assert.Matches("^arn:aws:ivs:us-east-1:123456789012:stage/[a-zA-Z0-9]{12}$", stage.GetProperty("arn").GetString());
        Assert.Equal("my-stage_1", stage.GetProperty("name").GetString());
        Assert.Equal("test", stage.GetProperty("tags").GetProperty("env").GetString());
        Assert.False(stage.TryGetProperty("activeSessionId", out _));
        Assert.Equal("wss://global.events.live-video.net", stage.GetProperty("endpoints").GetProperty("events").GetString());
        Assert.StartsWith("https://", stage.GetProperty("endpoints").GetProperty("whip").GetString(), StringComparison.Ordinal);
        var recording = stage.GetProperty("autoParticipantRecordingConfiguration");
        Assert.Equal("", recording.GetProperty("storageConfigurationArn").GetString());
        Assert.Equal("AUDIO_VIDEO", recording.GetProperty("mediaTypes")[0].GetString());
    }

    [Fact]
    public async Task CreateStage_mints_one_token_per_configuration_in_order()
    {
        var json = await Client.OkAsync("CreateStage", new
        {
            participantTokenConfigurations = new object[]
            {
                new { userId = "host", capabilities = new[] { "PUBLISH" }, duration = 60 },
                new { userId = "viewer", capabilities = new[] { "SUBSCRIBE" } },
            },
        });

        var tokens = json.GetProperty("participantTokens");
        Assert.Equal(2, tokens.GetArrayLength());
        Assert.Equal("host", tokens[0].GetProperty("userId").GetString());
        Assert.Equal(60, tokens[0].GetProperty("duration").GetInt32());
        Assert.Equal("viewer", tokens[1].GetProperty("userId").GetString());
        Assert.Equal(720, tokens[1].GetProperty("duration").GetInt32());
    }

    [Fact]
    public async Task GetStage_of_unknown_stage_is_404_with_the_modeled_error_shape()
    {
        var response = await Client.CallAsync("GetStage", new { arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh" });
        response.AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Theory]
    [InlineData("""{"name":"bad name!"}""", "at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [
        InlineData(
        """{"name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"""
        + """aaaaaaaaaaaaa"}""", "Member must have length less than or equal to 128")]
    [InlineData("""{"participantTokenConfigurations":[{"duration":0}]}""", "Member must have value greater than or equal to 1")]
    [InlineData("""{"participantTokenConfigurations":[{"duration":20161}]}""", "Member must have value less than or equal to 20160")]
    [InlineData("""{"participantTokenConfigurations":[{"capabilities":["ADMIN"]}]}""", "Member must satisfy enum value set")]
    [InlineData("""{"autoParticipantRecordingConfiguration":{"mediaTypes":["AUDIO_VIDEO"]}}""", "Member must not be null")]
    public async Task CreateStage_rejects_constraint_violations_with_ValidationException(string body, string expected)
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/CreateStage", body);
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(expected, response.ExceptionMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateStage_rejects_more_than_50_tags_and_more_than_12_token_configurations()
    {
        var tags = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v");
        (await Client.CallAsync("CreateStage", new { tags })).AssertError(HttpStatusCode.BadRequest, "ValidationException");

        var configurations = Enumerable.Range(0, 13).Select(_ => new { }).ToArray();
        (await Client.CallAsync("CreateStage", new { participantTokenConfigurations = configurations }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
    }

    [Fact]
    public async Task UpdateStage_changes_name_and_recording_and_DeleteStage_removes_it()
    {
        var arn = await CreateStageAsync();

        var storage = await Client.OkAsync("CreateStorageConfiguration", new { s3 = new { bucketName = "my-bucket" } });
        var storageArn = storage.GetProperty("storageConfiguration").GetProperty("arn").GetString();
        var updated = await Client.OkAsync("UpdateStage", new
        {
            arn,
            name = "renamed",
            autoParticipantRecordingConfiguration = new { storageConfigurationArn = storageArn, mediaTypes = new[] { "AUDIO_ONLY" } },
        });
        Assert.Equal("renamed", updated.GetProperty("stage").GetProperty("name").GetString());
        Assert.Equal(
            storageArn, updated.GetProperty("stage").GetProperty("autoParticipantRecordingConfiguration").GetProperty(
            "storageConfigurationArn").GetString());

        await Client.OkAsync("DeleteStage", new { arn });
        (await Client.CallAsync("GetStage", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("DeleteStage", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task UpdateStage_with_unknown_storage_configuration_is_404()
    {
        var arn = await CreateStageAsync();
        var response = await Client.CallAsync("UpdateStage", new
        {
            arn,
            autoParticipantRecordingConfiguration = new
            {
                storageConfigurationArn = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/abcdABCDefgh"
            },
        });
        response.AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task ListStages_pages_through_every_stage_once_with_opaque_tokens()
    {
        var created = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateStageAsync());
        }

        var seen = new List<string>();
        string? nextToken = null;
        do
        {
            var page = await Client.OkAsync("ListStages", new { maxResults = 2, nextToken });
            Assert.True(page.GetProperty("stages").GetArrayLength() <= 2);
            seen.AddRange(page.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("arn").GetString()!));
            nextToken = page.TryGetProperty("nextToken", out var token) ? token.GetString() : null;
            Assert.True(nextToken is null || System.Text.RegularExpressions.Regex.IsMatch(nextToken, "^[a-zA-Z0-9+/=_-]+$"));
        }
        while (nextToken is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(created, seen.ToHashSet());
    }

    [Fact]
    public async Task ListStages_rejects_tampered_or_foreign_tokens_and_bad_maxResults()
    {
        await CreateStageAsync();
        await CreateStageAsync();
        var page = await Client.OkAsync("ListStages", new { maxResults = 1 });
        var token = page.GetProperty("nextToken").GetString()!;

        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        (await Client.CallAsync("ListStages", new { nextToken = tampered })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListPublicKeys", new { nextToken = token })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListStages", new { nextToken = "not a token!" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListStages", new { maxResults = 0 })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListStages", new { maxResults = 101 })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
    }

    private async Task<string> CreateStageAsync()
    {
        var json = await Client.OkAsync("CreateStage");
        return json.GetProperty("stage").GetProperty("arn").GetString()!;
    }
}
