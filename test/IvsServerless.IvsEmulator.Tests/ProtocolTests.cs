using System.Net;
using System.Text.Json;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests;

/// <summary>What every operation shares: headers, error shapes, bad input, regions, timestamps.</summary>
public sealed class ProtocolTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task Every_response_has_a_request_id_and_json_content_type()
    {
        var ok = await Client.CallAsync("ListStages");
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.True(Guid.TryParse(ok.Headers["x-amzn-requestid"], out _));
        Assert.Equal("application/json", ok.ContentType);

        var error = await Client.CallAsync("GetStage", new { });
        Assert.True(Guid.TryParse(error.Headers["x-amzn-requestid"], out _));
        Assert.NotEqual(ok.Headers["x-amzn-requestid"], error.Headers["x-amzn-requestid"]);
    }

    [Fact]
    public async Task Empty_body_is_treated_as_an_empty_object()
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/CreateStage", "");
        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"text\"")]
    [InlineData("""{"name":42}""")]
    [InlineData("""{"tags":["a"]}""")]
    [InlineData("""{"participantTokenConfigurations":[{"duration":"12"}]}""")]
    [InlineData("""{"participantTokenConfigurations":[{"duration":1.5}]}""")]
    public async Task Malformed_json_or_wrong_types_are_400_SerializationException_without_internals(string body)
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/CreateStage", body);
        response.AssertError(HttpStatusCode.BadRequest, "SerializationException");
        Assert.DoesNotContain(
            " at ", response.ExceptionMessage!.Replace("Value at", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_required_member_is_ValidationException()
    {
        var response = await Client.CallAsync("GetStage", new { });
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(
            "Value null at 'arn' failed to satisfy constraint: Member must not be null", response.ExceptionMessage,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_members_are_ignored()
    {
        var response = await Client.CallAsync("CreateStage", new { name = "x", somethingNew = new { a = 1 } });
        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Unknown_operation_and_path_are_404_UnknownOperationException()
    {
        (await Client.CallAsync("CreateChannel")).AssertError(HttpStatusCode.NotFound, "UnknownOperationException");
        (await Client.SendRawAsync(HttpMethod.Get, "/some/where")).AssertError(HttpStatusCode.NotFound, "UnknownOperationException");
        (await Client.SendRawAsync(HttpMethod.Get, "/CreateStage")).AssertError(HttpStatusCode.NotFound, "UnknownOperationException");
    }

    [Fact]
    public async Task Oversized_body_is_rejected_before_parsing()
    {
        var huge = "{\"name\":\"" + new string('a', emulator.Emulator.Options.MaxRequestBodyBytes + 10) + "\"}";

        // A client of its own: the rejected upload leaves its connection unusable, which must not hit other tests.
        using var client = new IvsWireClient(emulator.Server.BaseAddress);
        var response = await client.SendRawAsync(HttpMethod.Post, "/CreateStage", huge);
        response.AssertError(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLargeException");
        Assert.Equal("close", response.Headers.GetValueOrDefault("connection"));
    }

    [Fact]
    public async Task Region_comes_from_the_sigv4_credential_scope()
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/CreateStage", "{}", region: "eu-west-1");
        Assert.StartsWith(
            "arn:aws:ivs:eu-west-1:123456789012:stage/", response.Json.GetProperty("stage").GetProperty("arn").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_are_iso8601_strings_with_a_zone()
    {
        var stage = await Client.OkAsync("CreateStage", new { participantTokenConfigurations = new[] { new { } } });
        var expiration = stage.GetProperty("participantTokens")[0].GetProperty("expirationTime");
        Assert.Equal(JsonValueKind.String, expiration.ValueKind);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", expiration.GetString());
        Assert.Equal(
            emulator.Clock.GetUtcNow().AddMinutes(720), DateTimeOffset.Parse(
            expiration.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Every_one_of_the_39_operations_is_registered()
    {
        string[] expected =
        [
            "CreateEncoderConfiguration", "CreateIngestConfiguration", "CreateParticipantToken", "CreateStage",
                "CreateStorageConfiguration",
            "DeleteEncoderConfiguration", "DeleteIngestConfiguration", "DeletePublicKey", "DeleteStage", "DeleteStorageConfiguration",
            "DisconnectParticipant", "GetComposition", "GetEncoderConfiguration", "GetIngestConfiguration", "GetParticipant",
                "GetPublicKey",
            "GetStage", "GetStageSession", "GetStorageConfiguration", "ImportPublicKey", "ListCompositions", "ListEncoderConfigurations",
            "ListIngestConfigurations", "ListParticipantEvents", "ListParticipantReplicas", "ListParticipants", "ListPublicKeys",
            "ListStageSessions", "ListStages", "ListStorageConfigurations", "ListTagsForResource", "StartComposition",
            "StartParticipantReplication", "StopComposition", "StopParticipantReplication", "TagResource", "UntagResource",
            "UpdateIngestConfiguration", "UpdateStage",
        ];
        Assert.Equal(39, expected.Length);
        Assert.Equal(expected.Order(StringComparer.Ordinal), emulator.Emulator.OperationNames.Order(StringComparer.Ordinal));
    }
}
