using System.Text.Json;

namespace IvsServerless.IvsRealTime.Tests;

/// <summary>Method, path, query and JSON body of the requests, byte for byte as ivs-realtime-wire.md specifies.</summary>
public sealed class WireRequestTests
{
    private const string StageArn = TestClients.StageArn;

    [Fact]
    public async Task CreateStage_with_nothing_set_posts_an_empty_object()
    {
        var (request, _) = await Capture(c => c.CreateStageAsync(new CreateStageRequest()));

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://127.0.0.1:4566/CreateStage", request.Uri.AbsoluteUri);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{}", request.Body);
    }

    [Fact]
    public async Task CreateParticipantToken_matches_the_sdk_capture()
    {
        var (request, _) = await Capture(c => c.CreateParticipantTokenAsync(new CreateParticipantTokenRequest
        {
            StageArn = StageArn,
            Duration = 60,
            Capabilities = [ParticipantTokenCapability.Publish],
        }));

        Assert.Equal("/CreateParticipantToken", request.Uri.AbsolutePath);
        Assert.Equal(
            """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234","duration":60,"capabilities":["PUBLISH"]}""",
            request.Body);
    }

    [Fact]
    public async Task CreateStage_serializes_nested_members_camelCase_with_wire_enums()
    {
        var (request, _) = await Capture(c => c.CreateStageAsync(new CreateStageRequest
        {
            Name = "room-1",
            ParticipantTokenConfigurations =
            [
                new ParticipantTokenConfiguration
                {
                    UserId = "u1",
                    Attributes = new Dictionary<string, string> { ["role"] = "host" },
                    Capabilities = [ParticipantTokenCapability.Publish, ParticipantTokenCapability.Subscribe],
                },
            ],
            Tags = new Dictionary<string, string> { ["app"] = "demo" },
            AutoParticipantRecordingConfiguration = new AutoParticipantRecordingConfiguration
            {
                StorageConfigurationArn = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/ABabCDcdEFef",
                MediaTypes = [ParticipantRecordingMediaType.AudioOnly],
                ThumbnailConfiguration = new ParticipantThumbnailConfiguration
                {
                    TargetIntervalSeconds = 30,
                    Storage = [ThumbnailStorageType.Sequential, ThumbnailStorageType.Latest],
                    RecordingMode = ThumbnailRecordingMode.Interval,
                },
                RecordingReconnectWindowSeconds = 60,
                HlsConfiguration = new ParticipantRecordingHlsConfiguration { TargetSegmentDurationSeconds = 6 },
                RecordParticipantReplicas = false,
            },
        }));

        Assert.Equal(Compact("""
            {
              "name": "room-1",
              "participantTokenConfigurations": [{"userId": "u1", "attributes": {"role": "host"}, "capabilities": ["PUBLISH", "SUBSCRIBE"]}],
              "tags": {"app": "demo"},
              "autoParticipantRecordingConfiguration": {
                "storageConfigurationArn": "arn:aws:ivs:us-east-1:123456789012:storage-configuration/ABabCDcdEFef",
                "mediaTypes": ["AUDIO_ONLY"],
                "thumbnailConfiguration": {"targetIntervalSeconds": 30, "storage": ["SEQUENTIAL", "LATEST"], "recordingMode": "INTERVAL"},
                "recordingReconnectWindowSeconds": 60,
                "hlsConfiguration": {"targetSegmentDurationSeconds": 6},
                "recordParticipantReplicas": false
              }
            }
            """),
            request.Body);
    }

    [Fact]
    public async Task StartComposition_serializes_layout_and_both_destination_kinds()
    {
        var (request, _) = await Capture(c => c.StartCompositionAsync(new StartCompositionRequest
        {
            StageArn = StageArn,
            IdempotencyToken = "e987d765-9784-4a52-81b3-10154014c7c4",
            Layout = new LayoutConfiguration
            {
                Pip = new PipConfiguration
                {
                    PipPosition = PipPosition.BottomRight,
                    PipBehavior = PipBehavior.Dynamic,
                    VideoFillMode = VideoFillMode.Cover,
                    PipWidth = 320
                },
            },
            Destinations =
            [
                new DestinationConfiguration
                {
                    Name = "live",
                    Channel = new ChannelDestinationConfiguration {
                        ChannelArn = "arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGh1234" },
                },
                new DestinationConfiguration
                {
                    S3 = new S3DestinationConfiguration
                    {
                        StorageConfigurationArn = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/ABabCDcdEFef",
                        EncoderConfigurationArns = ["arn:aws:ivs:us-east-1:123456789012:encoder-configuration/ABabCDcdEFef"],
                        RecordingConfiguration = new RecordingConfiguration { Format = RecordingConfigurationFormat.Hls },
                    },
                },
            ],
        }));

        Assert.Equal("/StartComposition", request.Uri.AbsolutePath);
        Assert.Equal(Compact("""
            {
              "stageArn": "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234",
              "destinations": [
                {"name": "live", "channel": {"channelArn": "arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGh1234"}},
                {"s3": {
                  "storageConfigurationArn": "arn:aws:ivs:us-east-1:123456789012:storage-configuration/ABabCDcdEFef",
                  "encoderConfigurationArns": ["arn:aws:ivs:us-east-1:123456789012:encoder-configuration/ABabCDcdEFef"],
                  "recordingConfiguration": {"format": "HLS"}}}
              ],
              "idempotencyToken": "e987d765-9784-4a52-81b3-10154014c7c4",
              "layout": {"pip": {"videoFillMode": "COVER", "pipBehavior": "DYNAMIC", "pipPosition": "BOTTOM_RIGHT", "pipWidth": 320}}
            }
            """),
            request.Body);
    }

    [Fact]
    public async Task ListParticipants_sends_filters_as_wire_values()
    {
        var (request, _) = await Capture(c => c.ListParticipantsAsync(new ListParticipantsRequest
        {
            StageArn = StageArn,
            SessionId = "st-a1b2c3d4e5f6g",
            FilterByRecordingState = ParticipantRecordingFilterByRecordingState.Active,
            MaxResults = 100,
        }), """{"participants":[]}""");

        Assert.Equal(
            """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234","sessionId":"st-a1b2c3d4e5f6g","maxResults":100,"filte"""
                + """rByRecordingState":"ACTIVE"}""",
            request.Body);
    }

    [Fact]
    public async Task CreateEncoderConfiguration_sends_framerate_as_a_json_number()
    {
        var (request, _) = await Capture(c => c.CreateEncoderConfigurationAsync(new CreateEncoderConfigurationRequest
        {
            Name = "hd",
            Video = new Video { Width = 1280, Height = 720, Framerate = 29.97f, Bitrate = 2_500_000 },
        }));

        Assert.Equal("""{"name":"hd","video":{"width":1280,"height":720,"framerate":29.97,"bitrate":2500000}}""", request.Body);
    }

    [Fact]
    public async Task Every_body_operation_posts_json_to_its_own_name()
    {
        var handler = new RecordingHandler();
        var client = TestClients.Create(handler);
        const string Session = "st-a1b2c3d4e5f6g";
        var calls = new (string Operation, Func<Task> Call)[]
        {
            ("CreateStage", () => client.CreateStageAsync(new CreateStageRequest())),
            ("GetStage", () => client.GetStageAsync(new GetStageRequest { Arn = StageArn })),
            ("UpdateStage", () => client.UpdateStageAsync(new UpdateStageRequest { Arn = StageArn, Name = "n" })),
            ("DeleteStage", () => client.DeleteStageAsync(new DeleteStageRequest { Arn = StageArn })),
            ("ListStages", () => client.ListStagesAsync(new ListStagesRequest())),
            ("CreateParticipantToken", () => client.CreateParticipantTokenAsync(new CreateParticipantTokenRequest { StageArn = StageArn })),
            (
                "DisconnectParticipant", () =>
                client.DisconnectParticipantAsync(
                new DisconnectParticipantRequest { StageArn = StageArn, ParticipantId = "p1", Reason = "kicked" })),
            ("ListStageSessions", () => client.ListStageSessionsAsync(new ListStageSessionsRequest { StageArn = StageArn })),
            ("GetStageSession", () => client.GetStageSessionAsync(new GetStageSessionRequest { StageArn = StageArn, SessionId = Session })),
            (
                "ListParticipants", () =>
                client.ListParticipantsAsync(new ListParticipantsRequest { StageArn = StageArn, SessionId = Session })),
            (
                "GetParticipant", () =>
                client.GetParticipantAsync(new GetParticipantRequest { StageArn = StageArn, SessionId = Session, ParticipantId = "p1" })),
            (
                "ListParticipantEvents", () =>
                client.ListParticipantEventsAsync(
                new ListParticipantEventsRequest { StageArn = StageArn, SessionId = Session, ParticipantId = "p1" })),
            (
                "StartComposition", () =>
                client.StartCompositionAsync(new StartCompositionRequest { StageArn = StageArn, Destinations = [] })),
            (
                "StopComposition", () =>
                client.StopCompositionAsync(new StopCompositionRequest { Arn = "arn:aws:ivs:us-east-1:123456789012:composition/abc" })),
            (
                "GetComposition", () =>
                client.GetCompositionAsync(new GetCompositionRequest { Arn = "arn:aws:ivs:us-east-1:123456789012:composition/abc" })),
            ("ListCompositions", () => client.ListCompositionsAsync(new ListCompositionsRequest { FilterByStageArn = StageArn })),
            ("CreateEncoderConfiguration", () => client.CreateEncoderConfigurationAsync(new CreateEncoderConfigurationRequest())),
            ("GetEncoderConfiguration", () => client.GetEncoderConfigurationAsync(new GetEncoderConfigurationRequest { Arn = "e" })),
            (
                "DeleteEncoderConfiguration", () =>
                client.DeleteEncoderConfigurationAsync(new DeleteEncoderConfigurationRequest { Arn = "e" })),
            ("ListEncoderConfigurations", () => client.ListEncoderConfigurationsAsync(new ListEncoderConfigurationsRequest())),
            (
                "CreateStorageConfiguration", () =>
                client.CreateStorageConfigurationAsync(
                new CreateStorageConfigurationRequest { S3 = new S3StorageConfiguration { BucketName = "b" } })),
            ("GetStorageConfiguration", () => client.GetStorageConfigurationAsync(new GetStorageConfigurationRequest { Arn = "s" })),
            (
                "DeleteStorageConfiguration", () =>
                client.DeleteStorageConfigurationAsync(new DeleteStorageConfigurationRequest { Arn = "s" })),
            ("ListStorageConfigurations", () => client.ListStorageConfigurationsAsync(new ListStorageConfigurationsRequest())),
            ("ImportPublicKey", () => client.ImportPublicKeyAsync(new ImportPublicKeyRequest { PublicKeyMaterial = "pem" })),
            ("DeletePublicKey", () => client.DeletePublicKeyAsync(new DeletePublicKeyRequest { Arn = "k" })),
            ("ListPublicKeys", () => client.ListPublicKeysAsync(new ListPublicKeysRequest())),
        };

        foreach (var (operation, call) in calls)
        {
            handler.Respond("{}");
            await call();
            var request = handler.Requests[^1];
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal("/" + operation, request.Uri.AbsolutePath);
            Assert.Equal("", request.Uri.Query);
            Assert.Equal("application/json", request.ContentType);
            Assert.StartsWith("{", request.Body, StringComparison.Ordinal);
        }

        Assert.Equal(27, handler.Requests.Count);
        Assert.Equal(
            """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234","participantId":"p1","reason":"kicked"}""",
            handler.Requests[6].Body);
        Assert.Equal("""{"s3":{"bucketName":"b"}}""", handler.Requests[20].Body);
    }

    [Fact]
    public async Task StartComposition_fills_one_idempotency_token_and_keeps_it_across_retries()
    {
        var handler = new RecordingHandler()
            .Respond(System.Net.HttpStatusCode.ServiceUnavailable, "")
            .Respond(
                """{"composition":{"arn":"arn:aws:ivs:us-east-1:123456789012:composition/abc","stageArn":"s","state":"STARTING","destinat"""
                + """ions":[]}}""");
        var client = TestClients.Create(handler);

        await client.StartCompositionAsync(new StartCompositionRequest { StageArn = StageArn, Destinations = [] });

        Assert.Equal(2, handler.Requests.Count);
        var token = JsonDocument.Parse(handler.Requests[0].Body!).RootElement.GetProperty("idempotencyToken").GetString();
        Assert.True(Guid.TryParse(token, out _));
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
    }

    [Fact]
    public async Task ListTagsForResource_gets_the_percent_encoded_arn_without_a_body()
    {
        var (request, response) = await Capture(
            c => c.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = StageArn }), """{"tags":{"a":"b"}}""");

        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/tags/" + TestClients.EncodedStageArn, request.Uri.AbsolutePath);
        Assert.Equal(
            "http://127.0.0.1:4566/tags/arn%3Aaws%3Aivs%3Aus-east-1%3A123456789012%3Astage%2FabcdEFGH1234", request.Uri.AbsoluteUri);
        Assert.Null(request.Body);
        Assert.Null(request.ContentType);
        Assert.Equal("b", response.Tags["a"]);
    }

    [Fact]
    public async Task TagResource_posts_only_the_tags()
    {
        var (request, _) = await Capture(c => c.TagResourceAsync(new TagResourceRequest
        {
            ResourceArn = StageArn,
            Tags = new Dictionary<string, string> { ["a"] = "b" },
        }));

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/tags/" + TestClients.EncodedStageArn, request.Uri.AbsolutePath);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("""{"tags":{"a":"b"}}""", request.Body);
    }

    [Fact]
    public async Task UntagResource_deletes_with_repeated_tagKeys()
    {
        var (request, _) = await Capture(
            c => c.UntagResourceAsync(new UntagResourceRequest { ResourceArn = StageArn, TagKeys = ["a", "b c"] }));

        Assert.Equal(HttpMethod.Delete, request.Method);
        Assert.Equal("/tags/" + TestClients.EncodedStageArn + "?tagKeys=a&tagKeys=b%20c", request.Uri.PathAndQuery);
        Assert.Null(request.Body);
        Assert.Null(request.ContentType);
    }

    [Fact]
    public async Task UntagResource_splits_keys_the_sdk_signer_would_order_wrongly()
    {
        var handler = new RecordingHandler().Respond("{}").Respond("{}");
        var client = TestClients.Create(handler);

        await client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = StageArn, TagKeys = ["a.b", "a:b"] });

        Assert.Equal(["?tagKeys=a.b", "?tagKeys=a%3Ab"], handler.Requests.Select(r => r.Uri.Query));
    }

    [Theory]
    [InlineData(new[] { "a", "b c", "team/x", "env" }, 1)]
    [InlineData(new[] { "a.b", "a:b" }, 2)]
    [InlineData(new[] { "x", "a:b", "a.b" }, 3)]
    [InlineData(new string[0], 1)]
    public void UntagBatches_only_splits_when_decoded_and_encoded_orders_differ(string[] keys, int batches)
    {
        var result = IvsRealTimeClient.UntagBatches(keys).ToList();

        Assert.Equal(batches, result.Count);
        Assert.Equal(keys, result.SelectMany(b => b));
    }

    /// <summary>The expected JSON written readably, compacted to what goes on the wire (member order kept).</summary>
    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }

    private static async Task<(RecordedRequest Request, TResponse Response)> Capture<TResponse>(
        Func<IIvsRealTimeClient, Task<TResponse>> call, string responseBody = "{}")
    {
        var handler = new RecordingHandler().Respond(responseBody);
        var response = await call(TestClients.Create(handler));
        return (Assert.Single(handler.Requests), response);
    }
}
