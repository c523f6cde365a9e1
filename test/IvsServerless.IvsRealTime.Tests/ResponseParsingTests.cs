using System.Text.Json;

namespace IvsServerless.IvsRealTime.Tests;

public sealed class ResponseParsingTests
{
    [Fact]
    public async Task GetStage_reads_every_member()
    {
        var response = await Call(c => c.GetStageAsync(new GetStageRequest { Arn = TestClients.StageArn }), """
            {"stage": {
              "arn": "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234",
              "name": "room-1",
              "activeSessionId": "st-a1b2c3d4e5f6g",
              "tags": {"app": "demo"},
              "autoParticipantRecordingConfiguration": {"storageConfigurationArn": "", "mediaTypes": ["AUDIO_VIDEO"], "recordParticipantReplicas": true},
              "endpoints": {"events": "wss://global.events.live-video.net", "whip": "https://abc.global-bm.whip.live-video.net",
                            "rtmp": "rtmp://abc.global-contribute-staging.live-video.net/app/", "rtmps": "rtmps://abc.global-contribute-staging.live-video.net:443/app/"}
            }}
            """);

        var stage = response.Stage!;
        Assert.Equal(TestClients.StageArn, stage.Arn);
        Assert.Equal("room-1", stage.Name);
        Assert.Equal("st-a1b2c3d4e5f6g", stage.ActiveSessionId);
        Assert.Equal("demo", stage.Tags!["app"]);
        Assert.Equal("", stage.AutoParticipantRecordingConfiguration!.StorageConfigurationArn);
        Assert.Equal([ParticipantRecordingMediaType.AudioVideo], stage.AutoParticipantRecordingConfiguration.MediaTypes);
        Assert.True(stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas);
        Assert.Equal("wss://global.events.live-video.net", stage.Endpoints!.Events);
        Assert.Equal("rtmps://abc.global-contribute-staging.live-video.net:443/app/", stage.Endpoints.Rtmps);
    }

    [Fact]
    public async Task CreateParticipantToken_reads_the_expiration_with_its_offset()
    {
        var response = await Call(
            c => c.CreateParticipantTokenAsync(new CreateParticipantTokenRequest { StageArn = TestClients.StageArn }), """
            {"participantToken": {"participantId": "abCDEf12GHIj", "token": "eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.x.y", "userId": "u1",
              "duration": 60, "capabilities": ["PUBLISH", "SUBSCRIBE"], "expirationTime": "2024-01-02T05:04:05.123+02:00"}}
            """);

        var token = response.ParticipantToken!;
        Assert.Equal("abCDEf12GHIj", token.ParticipantId);
        Assert.Equal([ParticipantTokenCapability.Publish, ParticipantTokenCapability.Subscribe], token.Capabilities);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 5, 4, 5, 123, TimeSpan.FromHours(2)), token.ExpirationTime);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 123, DateTimeKind.Utc), token.ExpirationTime!.Value.UtcDateTime);
        Assert.DoesNotContain("eyJ", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListParticipantEvents_reads_event_names_error_codes_and_exchanged_tokens()
    {
        var response = await Call(
            c =>
            c.ListParticipantEventsAsync(new ListParticipantEventsRequest { StageArn = "s", SessionId = "st", ParticipantId = "p" }), """
            {"events": [
              {"name": "JOINED", "participantId": "p", "eventTime": "2024-01-02T03:04:05Z"},
              {"name": "PUBLISH_ERROR", "participantId": "p", "eventTime": "2024-01-02T03:04:06.5Z", "errorCode": "B_FRAME_PRESENT"},
              {"name": "TOKEN_EXCHANGED", "participantId": "p", "eventTime": "2024-01-02T03:04:07Z",
               "previousToken": {"capabilities": ["SUBSCRIBE"]}, "newToken": {"capabilities": ["PUBLISH", "SUBSCRIBE"], "userId": "u1", "expirationTime": "2024-01-02T15:04:07Z"}}
            ], "nextToken": "abc="}
            """);

        Assert.Equal([EventName.Joined, EventName.PublishError, EventName.TokenExchanged], response.Events.Select(e => e.Name!.Value));
        Assert.Equal(EventErrorCode.BFramePresent, response.Events[1].ErrorCode);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 6, 500, TimeSpan.Zero), response.Events[1].EventTime);
        Assert.Equal([ParticipantTokenCapability.Subscribe], response.Events[2].PreviousToken!.Capabilities);
        Assert.Equal("u1", response.Events[2].NewToken!.UserId);
        Assert.Equal("abc=", response.NextToken);
    }

    [Fact]
    public async Task GetComposition_reads_states_destinations_and_times()
    {
        var response = await Call(c => c.GetCompositionAsync(new GetCompositionRequest { Arn = "c" }), """
            {"composition": {
              "arn": "arn:aws:ivs:us-east-1:123456789012:composition/abcdABCDefgh", "stageArn": "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234",
              "state": "ACTIVE",
              "layout": {"grid": {"featuredParticipantAttribute": "", "videoAspectRatio": "VIDEO", "gridGap": 2, "omitStoppedVideo": false}},
              "destinations": [{"id": "AbCdEfGh1234", "state": "RECONNECTING",
                "configuration": {"s3": {"storageConfigurationArn": "sc", "encoderConfigurationArns": ["ec"]}},
                "startTime": "2023-04-26T20:30:29.602000+00:00", "detail": {"s3": {"recordingPrefix": "p/1"}}}],
              "startTime": "2024-01-02t03:04:05.123456789z"
            }}
            """);

        var composition = response.Composition!;
        Assert.Equal(CompositionState.Active, composition.State);
        Assert.Equal(VideoAspectRatio.Video, composition.Layout!.Grid!.VideoAspectRatio);
        var destination = Assert.Single(composition.Destinations);
        Assert.Equal(DestinationState.Reconnecting, destination.State);
        Assert.Equal(["ec"], destination.Configuration!.S3!.EncoderConfigurationArns);
        Assert.Equal("p/1", destination.Detail!.S3!.RecordingPrefix);
        Assert.Equal(new DateTimeOffset(2023, 4, 26, 20, 30, 29, 602, TimeSpan.Zero), destination.StartTime);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_567), composition.StartTime);
        Assert.Null(composition.EndTime);
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.0000000+00:00")]
    [InlineData("2024-01-02T03:04:05.123Z", "2024-01-02T03:04:05.1230000+00:00")]
    [InlineData("2024-01-02T03:04:05.1234567Z", "2024-01-02T03:04:05.1234567+00:00")]
    [InlineData("2024-01-02T03:04:05+02:00", "2024-01-02T03:04:05.0000000+02:00")]
    [InlineData("2024-01-02T03:04:05.5-07:30", "2024-01-02T03:04:05.5000000-07:30")]
    public async Task Timestamps_keep_their_offset(string wire, string expected)
    {
        var response = await Call(c => c.GetStageSessionAsync(new GetStageSessionRequest { StageArn = "s", SessionId = "st" }),
            $$$"""{"stageSession": {"sessionId": "st-a1b2c3d4e5f6g", "startTime": "{{{wire}}}"}}""");

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), response.StageSession!.StartTime);
        Assert.Equal(expected, response.StageSession.StartTime!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("\"2024-01-02T03:04:05\"")]
    [InlineData("\"2024-01-02\"")]
    [InlineData("\"1704164645\"")]
    [InlineData("1704164645")]
    public async Task Timestamps_without_a_zone_are_rejected_like_the_sdks_do(string wire)
    {
        var handler = new RecordingHandler().Respond($$$"""{"stageSession": {"startTime": {{{wire}}}}}""");
        var client = TestClients.Create(handler);

        await Assert.ThrowsAsync<JsonException>(
            () => client.GetStageSessionAsync(new GetStageSessionRequest { StageArn = "s", SessionId = "st" }));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Empty_success_body_is_an_empty_result()
    {
        var handler = new RecordingHandler().Respond(System.Net.HttpStatusCode.OK, body: null);
        var client = TestClients.Create(handler);

        Assert.NotNull(await client.DeleteStageAsync(new DeleteStageRequest { Arn = "s" }));
    }

    [Fact]
    public async Task Unknown_and_pascal_case_members_are_ignored_and_missing_lists_are_empty()
    {
        var response = await Call(
            c => c.ListStagesAsync(new ListStagesRequest()), """{"Stages": [{"Arn": "x"}], "somethingNew": {"a": 1}}""");

        Assert.Empty(response.Stages);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task Missing_output_members_read_as_empty_not_null()
    {
        var handler = new RecordingHandler()
            .Respond("""{"composition": {}}""")
            .Respond("""{"tags": null}""");
        var client = TestClients.Create(handler);

        var composition = (await client.GetCompositionAsync(new GetCompositionRequest { Arn = "c" })).Composition!;
        var tags = await client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = TestClients.StageArn });

        Assert.Equal(("", ""), (composition.Arn, composition.StageArn));
        Assert.Empty(composition.Destinations);
        Assert.Empty(tags.Tags);
    }

    [Fact]
    public async Task List_responses_read_their_summaries()
    {
        var handler = new RecordingHandler()
            .Respond("""{"stages": [{"arn": "a1", "name": "n", "tags": {}}], "nextToken": "t"}""")
            .Respond(
                """{"participants": [{"participantId": "p", "state": "CONNECTED", "published": """
                + """true, "recordingState": "DISABLED", "firstJoinTime": "2024-01-02T03:04:05Z"}]}""")
            .Respond("""{"stageSessions": [{"sessionId": "st-a1b2c3d4e5f6g", "startTime": "2024-01-02T03:04:05Z"}]}""")
            .Respond(
                """{"compositions": [{"arn": "c", "stageArn": "s", "state": "STOPPING", "destinations": """
                + """[{"id": "d", "state": "STOPPED"}]}]}""")
            .Respond("""{"encoderConfigurations": [{"arn": "e", "name": "hd"}]}""")
            .Respond("""{"storageConfigurations": [{"arn": "s", "s3": {"bucketName": "b"}}]}""")
            .Respond("""{"publicKeys": [{"arn": "k", "name": "key"}]}""");
        var client = TestClients.Create(handler);

        Assert.Equal("a1", Assert.Single((await client.ListStagesAsync(new ListStagesRequest())).Stages).Arn);
        var participant = Assert.Single(
            (await client.ListParticipantsAsync(new ListParticipantsRequest { StageArn = "s", SessionId = "st" })).Participants);
        Assert.Equal(
            (ParticipantState.Connected, true, ParticipantRecordingState.Disabled), (
            participant.State!.Value, participant.Published!.Value, participant.RecordingState!.Value));
        Assert.Equal(
            "st-a1b2c3d4e5f6g", Assert.Single(
            (await client.ListStageSessionsAsync(new ListStageSessionsRequest { StageArn = "s" })).StageSessions).SessionId);
        var composition = Assert.Single((await client.ListCompositionsAsync(new ListCompositionsRequest())).Compositions);
        Assert.Equal(
            (CompositionState.Stopping, DestinationState.Stopped), (composition.State, Assert.Single(composition.Destinations).State));
        Assert.Equal(
            "hd", Assert.Single(
            (await client.ListEncoderConfigurationsAsync(new ListEncoderConfigurationsRequest())).EncoderConfigurations).Name);
        Assert.Equal(
            "b", Assert.Single(
            (await client.ListStorageConfigurationsAsync(new ListStorageConfigurationsRequest())).StorageConfigurations).S3!.BucketName);
        Assert.Equal("key", Assert.Single((await client.ListPublicKeysAsync(new ListPublicKeysRequest())).PublicKeys).Name);
    }

    [Fact]
    public async Task GetParticipant_reads_client_details_and_protocol()
    {
        var response = await Call(
            c => c.GetParticipantAsync(new GetParticipantRequest { StageArn = "s", SessionId = "st", ParticipantId = "p" }), """
            {"participant": {"participantId": "p", "userId": "u1", "state": "DISCONNECTED", "attributes": {"role": "host"}, "published": false,
              "ispName": "Comcast", "osName": "iOS", "osVersion": "17.2", "browserName": "Safari", "browserVersion": "17", "sdkVersion": "1.2.3",
              "recordingS3BucketName": "bucket", "recordingS3Prefix": "prefix", "recordingState": "STOPPED", "protocol": "WHIP",
              "replicationType": "NONE", "replicationState": "STOPPED", "redundantIngest": false}}
            """);

        var participant = response.Participant!;
        Assert.Equal(ParticipantState.Disconnected, participant.State);
        Assert.Equal(ParticipantProtocol.Whip, participant.Protocol);
        Assert.Equal(ReplicationType.None, participant.ReplicationType);
        Assert.Equal("bucket", participant.RecordingS3BucketName);
        Assert.Equal("host", participant.Attributes!["role"]);
    }

    [Fact]
    public async Task ImportPublicKey_reads_the_fingerprint()
    {
        var response = await Call(c => c.ImportPublicKeyAsync(new ImportPublicKeyRequest { PublicKeyMaterial = "pem", Name = "k1" }),
            """{"publicKey": """
                + """{"arn": "arn:aws:ivs:us-east-1:123456789012:public-key/abcdABC1efg2", "name": "k1", "publicKeyMaterial": "pem", "fin"""
                + """gerprint": "12:a3:44"}}""");

        Assert.Equal("12:a3:44", response.PublicKey!.Fingerprint);
    }

    private static async Task<TResponse> Call<TResponse>(Func<IIvsRealTimeClient, Task<TResponse>> call, string responseBody) =>
        await call(TestClients.Create(new RecordingHandler().Respond(responseBody)));
}
