using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

/// <summary>
/// Compositions on the fake clock. Tests share one emulator, so each stops whatever it left running
/// (the 20-per-account quota would otherwise fill up) and reads only the events of its own compositions.
/// </summary>
public sealed class CompositionOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IAsyncLifetime
{
    private const string ChannelArn = "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCDefgh";

    private IvsWireClient Client => emulator.Client;
    private TimeSpan TransitionDelay => emulator.Emulator.Options.CompositionTransitionDelay;
    private TimeSpan IdleStop => emulator.Emulator.Options.CompositionIdleStop;
    private TimeSpan Retention => emulator.Emulator.Options.StoppedCompositionRetention;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var compositions = (await Client.OkAsync("ListCompositions")).GetProperty("compositions").EnumerateArray();
        foreach (var composition in compositions.Where(c => c.GetProperty("state").GetString() is "STARTING" or "ACTIVE"))
        {
            await Client.OkAsync("StopComposition", new { arn = composition.GetProperty("arn").GetString() });
        }

        emulator.Advance(TransitionDelay);
    }

    [Fact]
    public async Task StartComposition_returns_a_STARTING_composition_with_the_defaults_filled_in()
    {
        var stageArn = await Client.CreateStageAsync();
        var encoderArn = await Client.AnyEncoderConfigurationAsync();
        var storageArn = await Client.AnyStorageConfigurationAsync();

        var json = await Client.OkAsync("StartComposition", new
        {
            stageArn,
            destinations = new object[]
            {
                new { channel = new { channelArn = ChannelArn, encoderConfigurationArn = encoderArn } },
                new {
                    name = "archive", s3 = new { storageConfigurationArn = storageArn, encoderConfigurationArns = new[] { encoderArn } } },
            },
            tags = new { env = "test" },
        });

        var composition = json.GetProperty("composition");
        Assert.Equal(["arn", "destinations", "layout", "stageArn", "startTime", "state", "tags"], composition.Members());
        var arn = composition.GetProperty("arn").GetString()!;
        Assert.Matches("^arn:aws:ivs:us-east-1:123456789012:composition/[a-zA-Z0-9]{12}$", arn);
        Assert.Equal(stageArn, composition.GetProperty("stageArn").GetString());
        Assert.Equal("STARTING", composition.GetProperty("state").GetString());
        Assert.Equal(Timestamp(emulator.Clock.GetUtcNow()), composition.GetProperty("startTime").GetString());
        Assert.Equal("test", composition.GetProperty("tags").GetProperty("env").GetString());
        AssertJson(
            """{"grid":{"featuredParticipantAttribute":"","omitStoppedVideo":false,"videoAspectRatio":"VIDEO","gridGap":2,"participantOrd"""
            + """erAttribute":""}}""",
            composition.GetProperty("layout"));

        var channel = composition.GetProperty("destinations")[0];
        Assert.Equal(["configuration", "id", "state"], channel.Members());
        Assert.Matches("^[a-zA-Z0-9]{12}$", channel.GetProperty("id").GetString());
        Assert.Equal("STARTING", channel.GetProperty("state").GetString());
        AssertJson(
            $$$"""{"name":"","channel":{"channelArn":"{{{ChannelArn}}}","encoderConfigurationArn":"{{{encoderArn}}}"}}""",
            channel.GetProperty("configuration"));

        var s3 = composition.GetProperty("destinations")[1];
        Assert.Equal(["configuration", "detail", "id", "state"], s3.Members());
        AssertJson($$$"""
            {"name":"archive","s3":{"storageConfigurationArn":"{{{storageArn}}}","encoderConfigurationArns":["{{{encoderArn}}}"],
             "recordingConfiguration":{"format":"HLS","hlsConfiguration":{"targetSegmentDurationSeconds":2}} }}
            """, s3.GetProperty("configuration"));
        Assert.Equal($"{IdOf(stageArn)}/{IdOf(arn)}/{s3.GetProperty("id").GetString()}/composite",
            s3.GetProperty("detail").GetProperty("s3").GetProperty("recordingPrefix").GetString());

        var fetched = await Client.OkAsync("GetComposition", new { arn });
        Assert.Equal(composition.ToString(), fetched.GetProperty("composition").ToString());
    }

    [Fact]
    public async Task StartComposition_echoes_a_pip_layout_and_s3_options_with_their_defaults()
    {
        var stageArn = await Client.CreateStageAsync();
        var json = await Client.OkAsync("StartComposition", new
        {
            stageArn,
            layout = new { pip = new { pipParticipantAttribute = "isPip", pipWidth = 320, omitStoppedVideo = true } },
            destinations = new[]
            {
                new
                {
                    s3 = new
                    {
                        storageConfigurationArn = await Client.AnyStorageConfigurationAsync(),
                        encoderConfigurationArns = new[] { await Client.AnyEncoderConfigurationAsync() },
                        recordingConfiguration = new { hlsConfiguration = new { targetSegmentDurationSeconds = 6 } },
                        thumbnailConfigurations = new[] { new { storage = new[] { "LATEST" } } },
                    },
                },
            },
        });

        var composition = json.GetProperty("composition");
        AssertJson("""
            {"pip":{"featuredParticipantAttribute":"","omitStoppedVideo":true,"videoFillMode":"COVER","gridGap":0,"pipParticipantAttribute":"isPip",
             "pipBehavior":"STATIC","pipOffset":0,"pipPosition":"BOTTOM_RIGHT","pipWidth":320,"participantOrderAttribute":""}}
            """, composition.GetProperty("layout"));
        var s3 = composition.GetProperty("destinations")[0].GetProperty("configuration").GetProperty("s3");
        AssertJson("""{"format":"HLS","hlsConfiguration":{"targetSegmentDurationSeconds":6}}""", s3.GetProperty("recordingConfiguration"));
        AssertJson("""[{"targetIntervalSeconds":60,"storage":["LATEST"]}]""", s3.GetProperty("thumbnailConfigurations"));
    }

    [Fact]
    public async Task A_composition_goes_ACTIVE_then_STOPPING_then_STOPPED_with_its_events()
    {
        var stageArn = await Client.CreateStageAsync();
        emulator.SetPublishing(stageArn, "host1", published: true);
        var storageArn = await Client.AnyStorageConfigurationAsync();
        var encoderArn = await Client.AnyEncoderConfigurationAsync();
        var started = (await Client.OkAsync("StartComposition", new
        {
            stageArn,
            destinations = new object[]
            {
                new { channel = new { channelArn = ChannelArn } },
                new { s3 = new { storageConfigurationArn = storageArn, encoderConfigurationArns = new[] { encoderArn } } },
            },
        })).GetProperty("composition");
        var arn = started.GetProperty("arn").GetString()!;
        var destinationIds = started.GetProperty("destinations").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToList();
        Assert.Empty(EventsOf(arn));

        emulator.Advance(TransitionDelay);
        var activeAt = emulator.Clock.GetUtcNow();
        var active = await GetAsync(arn);
        Assert.Equal("ACTIVE", active.GetProperty("state").GetString());
        Assert.All(active.GetProperty("destinations").EnumerateArray(), d =>
        {
            Assert.Equal("ACTIVE", d.GetProperty("state").GetString());
            Assert.Equal(Timestamp(activeAt), d.GetProperty("startTime").GetString());
            Assert.False(d.TryGetProperty("endTime", out _));
        });
        var startEvents = EventsOf(arn);
        Assert.Equal(["Session Start", "Destination Start", "Destination Start"], startEvents.Select(e => e.EventName));
        AssertEnvelope(startEvents[0], arn, stageArn, "Session Start", activeAt);
        Assert.Null(startEvents[0].Detail["destination_id"]);
        Assert.Equal(destinationIds, startEvents.Skip(1).Select(e => e.Detail["destination_id"]!.GetValue<string>()));

        emulator.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("ACTIVE", (await GetAsync(arn)).GetProperty("state").GetString());

        Assert.Equal("{}", (await Client.CallAsync("StopComposition", new { arn })).Text);
        var stopping = await GetAsync(arn);
        Assert.Equal("STOPPING", stopping.GetProperty("state").GetString());
        Assert.All(
            stopping.GetProperty("destinations").EnumerateArray(), d => Assert.Equal("STOPPING", d.GetProperty("state").GetString()));
        Assert.Equal(3, EventsOf(arn).Count);

        emulator.Advance(TransitionDelay);
        var stoppedAt = emulator.Clock.GetUtcNow();
        var stopped = await GetAsync(arn);
        Assert.Equal("STOPPED", stopped.GetProperty("state").GetString());
        Assert.Equal(Timestamp(stoppedAt), stopped.GetProperty("endTime").GetString());
        Assert.All(stopped.GetProperty("destinations").EnumerateArray(), d =>
        {
            Assert.Equal("STOPPED", d.GetProperty("state").GetString());
            Assert.Equal(Timestamp(stoppedAt), d.GetProperty("endTime").GetString());
        });
        var endEvents = EventsOf(arn).Skip(3).ToList();
        Assert.Equal(["Destination End", "Destination End", "Session End"], endEvents.Select(e => e.EventName));
        Assert.Equal(destinationIds, endEvents.Take(2).Select(e => e.Detail["destination_id"]!.GetValue<string>()));
        AssertEnvelope(endEvents[2], arn, stageArn, "Session End", stoppedAt);
    }

    [Fact]
    public async Task A_STOPPED_composition_disappears_after_the_retention()
    {
        var stageArn = await Client.CreateStageAsync();
        var arn = (await Client.StartS3CompositionAsync(stageArn)).GetProperty("arn").GetString()!;
        emulator.Advance(TransitionDelay);
        await Client.OkAsync("StopComposition", new { arn });
        emulator.Advance(TransitionDelay);

        emulator.Advance(Retention - TimeSpan.FromSeconds(1));
        Assert.Equal("STOPPED", (await GetAsync(arn)).GetProperty("state").GetString());
        Assert.Contains(arn, await ListArnsAsync(new { filterByStageArn = stageArn }));

        emulator.Advance(TimeSpan.FromSeconds(1));
        (await Client.CallAsync("GetComposition", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("StopComposition", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.SendRawAsync(HttpMethod.Get, "/tags/" + Uri.EscapeDataString(arn))).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        Assert.DoesNotContain(arn, await ListArnsAsync(new { filterByStageArn = stageArn }));
    }

    [Fact]
    public async Task A_composition_started_without_publishers_stops_itself_after_the_idle_timeout()
    {
        var stageArn = await Client.CreateStageAsync();
        var startedAt = emulator.Clock.GetUtcNow();
        var arn = (await Client.StartS3CompositionAsync(stageArn)).GetProperty("arn").GetString()!;

        emulator.Advance(IdleStop - TimeSpan.FromSeconds(1));
        Assert.Equal("ACTIVE", (await GetAsync(arn)).GetProperty("state").GetString());

        emulator.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("STOPPING", (await GetAsync(arn)).GetProperty("state").GetString());

        emulator.Advance(TransitionDelay);
        var stopped = await GetAsync(arn);
        Assert.Equal("STOPPED", stopped.GetProperty("state").GetString());
        Assert.Equal(Timestamp(startedAt + IdleStop + TransitionDelay), stopped.GetProperty("endTime").GetString());
        Assert.Equal(["Session Start", "Destination Start", "Destination End", "Session End"], EventsOf(arn).Select(e => e.EventName));
    }

    [Fact]
    public async Task The_idle_clock_stops_while_someone_publishes_and_restarts_when_the_last_publisher_leaves()
    {
        var stageArn = await Client.CreateStageAsync();
        var arn = (await Client.StartS3CompositionAsync(stageArn)).GetProperty("arn").GetString()!;

        emulator.Advance(TimeSpan.FromSeconds(30));
        emulator.SetPublishing(stageArn, "host1", published: true);
        emulator.SetPublishing(stageArn, "host2", published: true);
        emulator.Advance(IdleStop);
        Assert.Equal("ACTIVE", (await GetAsync(arn)).GetProperty("state").GetString());

        emulator.SetPublishing(stageArn, "host1", published: false);
        emulator.Advance(IdleStop);
        Assert.Equal("ACTIVE", (await GetAsync(arn)).GetProperty("state").GetString());

        emulator.SetPublishing(stageArn, "host2", published: false);
        emulator.Advance(TimeSpan.FromSeconds(20));
        emulator.SetPublishing(stageArn, "host2", published: true);
        emulator.Advance(TimeSpan.FromSeconds(20));
        emulator.SetPublishing(stageArn, "host2", published: false);
        emulator.Advance(IdleStop - TimeSpan.FromSeconds(1));
        Assert.Equal("ACTIVE", (await GetAsync(arn)).GetProperty("state").GetString());

        emulator.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("STOPPING", (await GetAsync(arn)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_failed_composition_reports_Session_Failure_with_a_reason_frees_its_configurations_and_is_cleaned_up()
    {
        var stageArn = await Client.CreateStageAsync();
        var encoderArn = await Client.CreateEncoderConfigurationAsync();
        var arn = (await Client.StartS3CompositionAsync(stageArn, encoderArn)).GetProperty("arn").GetString()!;
        emulator.Advance(TransitionDelay);

        emulator.Emulator.Run(null, context =>
        {
            IvsServerless.IvsEmulator.Operations.CompositionOperations.Fail(
                context, context.State.Compositions[arn], "Stage resource unavailable");
            return 0;
        });

        var failed = await GetAsync(arn);
        Assert.Equal("FAILED", failed.GetProperty("state").GetString());
        Assert.All(failed.GetProperty("destinations").EnumerateArray(), d => Assert.Equal("FAILED", d.GetProperty("state").GetString()));
        var failure = EventsOf(arn)[^1];
        Assert.Equal("Session Failure", failure.EventName);
        Assert.Equal("Stage resource unavailable", failure.Detail["reason"]!.GetValue<string>());
        Assert.Equal(stageArn, failure.Detail["stage_arn"]!.GetValue<string>());
        await Client.OkAsync("StopComposition", new { arn });
        await Client.OkAsync("DeleteEncoderConfiguration", new { arn = encoderArn });

        emulator.Advance(Retention);
        (await Client.CallAsync("GetComposition", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task DeleteStage_stops_the_compositions_of_the_stage_only()
    {
        var stageArn = await Client.CreateStageAsync();
        var otherStageArn = await Client.CreateStageAsync();
        var arn = (await Client.StartS3CompositionAsync(stageArn)).GetProperty("arn").GetString()!;
        var other = (await Client.StartS3CompositionAsync(otherStageArn)).GetProperty("arn").GetString()!;
        emulator.Advance(TransitionDelay);

        await Client.OkAsync("DeleteStage", new { arn = stageArn });
        Assert.Equal("STOPPING", (await GetAsync(arn)).GetProperty("state").GetString());
        Assert.Equal("ACTIVE", (await GetAsync(other)).GetProperty("state").GetString());

        emulator.Advance(TransitionDelay);
        var stopped = await GetAsync(arn);
        Assert.Equal("STOPPED", stopped.GetProperty("state").GetString());
        Assert.Equal(stageArn, stopped.GetProperty("stageArn").GetString());
        Assert.Equal("Session End", EventsOf(arn)[^1].EventName);
    }

    [Fact]
    public async Task StopComposition_before_it_is_ACTIVE_sends_no_events_and_stopping_again_is_harmless()
    {
        var stageArn = await Client.CreateStageAsync();
        var arn = (await Client.StartS3CompositionAsync(stageArn)).GetProperty("arn").GetString()!;

        await Client.OkAsync("StopComposition", new { arn });
        await Client.OkAsync("StopComposition", new { arn });
        emulator.Advance(TransitionDelay);
        await Client.OkAsync("StopComposition", new { arn });

        var stopped = await GetAsync(arn);
        Assert.Equal("STOPPED", stopped.GetProperty("state").GetString());
        Assert.All(stopped.GetProperty("destinations").EnumerateArray(), d => Assert.False(d.TryGetProperty("startTime", out _)));
        Assert.Empty(EventsOf(arn));
    }

    [Fact]
    public async Task A_retried_start_with_the_same_idempotency_token_returns_the_same_composition()
    {
        var stageArn = await Client.CreateStageAsync();
        var first = await Client.StartS3CompositionAsync(stageArn, idempotencyToken: "retry-token_1");
        var retry = await Client.StartS3CompositionAsync(stageArn, idempotencyToken: "retry-token_1");
        var fresh = await Client.StartS3CompositionAsync(stageArn, idempotencyToken: "another-token");

        Assert.Equal(first.GetProperty("arn").GetString(), retry.GetProperty("arn").GetString());
        Assert.Equal(first.ToString(), retry.ToString());
        Assert.NotEqual(first.GetProperty("arn").GetString(), fresh.GetProperty("arn").GetString());
        Assert.Equal(2, (await ListArnsAsync(new { filterByStageArn = stageArn })).Count);

        var otherStageArn = await Client.CreateStageAsync();
        var reused = await Client.CallAsync("StartComposition", new
        {
            stageArn = otherStageArn,
            destinations = new[] { new { channel = new { channelArn = ChannelArn } } },
            idempotencyToken = "retry-token_1",
        });
        reused.AssertError(HttpStatusCode.Conflict, "ConflictException");
    }

    [Theory]
    [
        InlineData(
        """{"destinations":[{"channel":{"channelArn":"CHANNEL"}}]}""",
        "Value null at 'stageArn' failed to satisfy constraint: Member must not be null")]
    [InlineData("""{"stageArn":"STAGE"}""", "Value null at 'destinations' failed to satisfy constraint: Member must not be null")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[]}""",
        "at 'destinations' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}},{"s3":{"storageConfigurationArn":"STORAGE","encoderCo"""
        + """nfigurationArns":["ENCODER"]}},{"channel":{"channelArn":"CHANNEL"}}]}""", "Member must have length less than or equal to 2")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"name":"nothing"}]}""",
        "at 'destinations.0.member.channel' failed to satisfy constraint: Exactly one of channel or s3 must be set")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"},"s3":{"storageConfigurationArn":"STORAGE","encoderConf"""
        + """igurationArns":["ENCODER"]}}]}""", "Exactly one of channel or s3 must be set")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}},{"channel":{"channelArn":"CHANNEL"}}]}""",
        "at most one channel destination and one s3 destination")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{}}]}""",
        "Value null at 'destinations.0.member.channel.channelArn' failed to satisfy constraint: Member must not be null")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"STAGE"}}]}""",
        "at 'destinations.0.member.channel.channelArn' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"name":"bad name","channel":{"channelArn":"CHANNEL"}}]}""",
        "at 'destinations.0.member.name' failed to satisfy constraint")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"encoderConfigurationArns":["ENCODER"]}}]}""",
        "Value null at 'destinations.0.member.s3.storageConfigurationArn'")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE"}}]}""",
        "Value null at 'destinations.0.member.s3.encoderConfigurationArns'")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE","encoderConfigurationArns":[]}}]}""",
        "Member must have length greater than or equal to 1")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE","encoderConfigurationArns":["ENCODER","ENCODE"""
        + """R"]}}]}""", "Member must have length less than or equal to 1")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE","encoderConfigurationArns":["STORAGE"]}}]}""",
        "at 'destinations.0.member.s3.encoderConfigurationArns.0' failed to satisfy constraint: Member must satisfy regular expression "
        + "pattern")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE","encoderConfigurationArns":["ENCODER"],"recordi"""
        + """ngConfiguration":{"format":"MP4"}}}]}""", "Member must satisfy enum value set: [HLS]")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE","encoderConfigurationArns":["ENCODER"],"recordi"""
        + """ngConfiguration":{"hlsConfiguration":{"targetSegmentDurationSeconds":11}}}}]}""",
        "Member must have value less than or equal to 10")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE","encoderConfigurationArns":["ENCODER"],"thumbna"""
        + """ilConfigurations":[{"targetIntervalSeconds":0}]}}]}""", "Member must have value greater than or equal to 1")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE","encoderConfigurationArns":["ENCODER"],"thumbna"""
        + """ilConfigurations":[{},{}]}}]}""", "Member must have length less than or equal to 1")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"s3":{"storageConfigurationArn":"STORAGE","encoderConfigurationArns":["ENCODER"],"thumbna"""
        + """ilConfigurations":[{"storage":["ALL"]}]}}]}""", "Member must satisfy enum value set: [SEQUENTIAL, LATEST]")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"idempotencyToken":""}""",
        "at 'idempotencyToken' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"idempotencyToken":"not valid!"}""",
        "at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"idempotencyToken":"01234567890123456789012345678901"""
        + """234567890123456789012345678901234"}""", "Member must have length less than or equal to 64")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"layout":{"grid":{"gridGap":-1}}}""",
        "at 'layout.grid.gridGap' failed to satisfy constraint: Member must have value greater than or equal to 0")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"layout":{"grid":{"videoAspectRatio":"WIDE"}}}""",
        "at 'layout.grid.videoAspectRatio' failed to satisfy constraint: Member must satisfy enum value set")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"layout":{"grid":{"featuredParticipantAttribute":"a """
        + """b"}}}""", "at 'layout.grid.featuredParticipantAttribute' failed to satisfy constraint")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"layout":{"pip":{"pipWidth":0}}}""",
        "at 'layout.pip.pipWidth' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"layout":{"pip":{"pipPosition":"CENTER"}}}""",
        "at 'layout.pip.pipPosition' failed to satisfy constraint: Member must satisfy enum value set")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"layout":{"pip":{"pipBehavior":"FLOATING"}}}""",
        "at 'layout.pip.pipBehavior' failed to satisfy constraint")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"layout":{"pip":{"videoFillMode":"STRETCH"}}}""",
        "at 'layout.pip.videoFillMode' failed to satisfy constraint")]
    [
        InlineData(
        """{"stageArn":"STAGE","destinations":[{"channel":{"channelArn":"CHANNEL"}}],"tags":{"":"x"}}""",
        "Member must have length greater than or equal to 1")]
    public async Task StartComposition_rejects_constraint_violations_and_creates_nothing(string template, string expected)
    {
        var stageArn = await Client.CreateStageAsync();
        var body = template
            .Replace("STAGE", stageArn, StringComparison.Ordinal)
            .Replace("CHANNEL", ChannelArn, StringComparison.Ordinal)
            .Replace("STORAGE", await Client.AnyStorageConfigurationAsync(), StringComparison.Ordinal)
            .Replace("ENCODER", await Client.AnyEncoderConfigurationAsync(), StringComparison.Ordinal);

        var response = await Client.SendRawAsync(HttpMethod.Post, "/StartComposition", body);

        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(expected, response.ExceptionMessage, StringComparison.Ordinal);
        Assert.Empty(await ListArnsAsync(new { filterByStageArn = stageArn }));
    }

    [Fact]
    public async Task StartComposition_needs_an_existing_stage_storage_and_encoder_configurations()
    {
        var stageArn = await Client.CreateStageAsync();
        var storageArn = await Client.AnyStorageConfigurationAsync();
        var encoderArn = await Client.AnyEncoderConfigurationAsync();
        const string UnknownStage = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh";
        const string UnknownStorage = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/abcdABCDefgh";
        const string UnknownEncoder = "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/abcdABCDefgh";

        object[] bodies =
        [
            new { stageArn = UnknownStage, destinations = new[] { new { channel = new { channelArn = ChannelArn } } } },
            new {
                stageArn, destinations = new[] {
                new { s3 = new { storageConfigurationArn = UnknownStorage, encoderConfigurationArns = new[] { encoderArn } } } } },
            new {
                stageArn, destinations = new[] {
                new { s3 = new { storageConfigurationArn = storageArn, encoderConfigurationArns = new[] { UnknownEncoder } } } } },
            new {
                stageArn, destinations = new[] {
                new { channel = new { channelArn = ChannelArn, encoderConfigurationArn = UnknownEncoder } } } },
        ];
        foreach (var body in bodies)
        {
            (await Client.CallAsync("StartComposition", body)).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        }

        Assert.Empty(await ListArnsAsync(new { filterByStageArn = stageArn }));
    }

    [Fact]
    public async Task StartComposition_allows_5_live_compositions_per_stage_and_20_per_account()
    {
        await Resources.WithOwnEmulatorAsync(async own =>
        {
            var client = own.Client;
            var stages = new List<string>();
            var compositions = new List<string>();
            for (var s = 0; s < 4; s++)
            {
                stages.Add(await client.CreateStageAsync());
                for (var c = 0; c < 5; c++)
                {
                    compositions.Add((await client.StartS3CompositionAsync(stages[s])).GetProperty("arn").GetString()!);
                }
            }

            (
                await client.CallAsync(
                "StartComposition", new
                {
                    stageArn = stages[0],
                    destinations = new[] { new { channel = new { channelArn = ChannelArn } } }
                }))
                .AssertError((HttpStatusCode)402, "ServiceQuotaExceededException");
            var fifthStage = await client.CreateStageAsync();
            (
                await client.CallAsync(
                "StartComposition", new
                {
                    stageArn = fifthStage,
                    destinations = new[] { new { channel = new { channelArn = ChannelArn } } }
                }))
                .AssertError((HttpStatusCode)402, "ServiceQuotaExceededException");

            // STOPPING still counts; STOPPED (though still listed) does not.
            await client.OkAsync("StopComposition", new { arn = compositions[0] });
            (
                await client.CallAsync(
                "StartComposition", new
                {
                    stageArn = fifthStage,
                    destinations = new[] { new { channel = new { channelArn = ChannelArn } } }
                }))
                .AssertError((HttpStatusCode)402, "ServiceQuotaExceededException");
            own.Advance(own.Emulator.Options.CompositionTransitionDelay);
            await client.StartS3CompositionAsync(stages[0]);
        });
    }

    [Theory]
    [InlineData("GetComposition")]
    [InlineData("StopComposition")]
    public async Task Get_and_Stop_validate_the_arn_and_answer_404_for_an_unknown_one(string operation)
    {
        (await Client.CallAsync(operation, new { })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:composition/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task ListCompositions_filters_by_stage_and_encoder_configuration_and_returns_summaries()
    {
        var stageArn = await Client.CreateStageAsync();
        var otherStageArn = await Client.CreateStageAsync();
        var encoderArn = await Client.CreateEncoderConfigurationAsync();
        var otherEncoderArn = await Client.CreateEncoderConfigurationAsync();
        var withEncoder = (await Client.StartS3CompositionAsync(stageArn, encoderArn)).GetProperty("arn").GetString()!;
        var withoutEncoder = (await Client.StartS3CompositionAsync(stageArn, otherEncoderArn)).GetProperty("arn").GetString()!;
        var elsewhere = (await Client.StartS3CompositionAsync(otherStageArn, encoderArn)).GetProperty("arn").GetString()!;
        emulator.Advance(TransitionDelay);

        Assert.Equal(
            new[] { withEncoder, withoutEncoder }.Order(StringComparer.Ordinal), await ListArnsAsync(new { filterByStageArn = stageArn }));
        Assert.Equal(
            new[] { withEncoder, elsewhere }.Order(StringComparer.Ordinal), await ListArnsAsync(
            new { filterByEncoderConfigurationArn = encoderArn }));
        Assert.Equal([withEncoder], await ListArnsAsync(new { filterByStageArn = stageArn, filterByEncoderConfigurationArn = encoderArn }));

        var summary = (await Client.OkAsync("ListCompositions", new { filterByStageArn = otherStageArn })).GetProperty("compositions")[0];
        Assert.Equal(["arn", "destinations", "stageArn", "startTime", "state", "tags"], summary.Members());
        Assert.Equal("ACTIVE", summary.GetProperty("state").GetString());
        var destination = summary.GetProperty("destinations")[0];
        Assert.Equal(["id", "startTime", "state"], destination.Members());
    }

    [Fact]
    public async Task ListCompositions_pages_and_rejects_bad_input()
    {
        var stageArn = await Client.CreateStageAsync();
        for (var i = 0; i < 3; i++)
        {
            await Client.StartS3CompositionAsync(stageArn);
        }

        var first = await Client.OkAsync("ListCompositions", new { filterByStageArn = stageArn, maxResults = 2 });
        Assert.Equal(2, first.GetProperty("compositions").GetArrayLength());
        var second = await Client.OkAsync(
            "ListCompositions", new
            {
                filterByStageArn = stageArn,
                maxResults = 2,
                nextToken = first.GetProperty("nextToken").GetString()
            });
        Assert.Equal(1, second.GetProperty("compositions").GetArrayLength());
        Assert.False(second.TryGetProperty("nextToken", out _));

        (await Client.CallAsync("ListCompositions", new { filterByStageArn = "stage" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListCompositions", new { filterByEncoderConfigurationArn = stageArn })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListCompositions", new { maxResults = 0 })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListCompositions", new { maxResults = 101 })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListCompositions", new { nextToken = first.GetProperty("nextToken").GetString() + "x" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
    }

    private async Task<JsonElement> GetAsync(string arn) =>
        (await Client.OkAsync("GetComposition", new { arn })).GetProperty("composition");

    private async Task<List<string>> ListArnsAsync(object filter) =>
        (await Client.OkAsync("ListCompositions", filter)).GetProperty("compositions").EnumerateArray().Select(
            c => c.GetProperty("arn").GetString()!).ToList();

    private List<IvsEvent> EventsOf(string compositionArn) =>
        emulator.Events.Recent().Where(e => e.Resources[0] == compositionArn).ToList();

    private static void AssertEnvelope(IvsEvent ivsEvent, string compositionArn, string stageArn, string eventName, DateTimeOffset time)
    {
        var envelope = ivsEvent.ToEnvelope();
        Assert.Equal("0", envelope["version"]!.GetValue<string>());
        Assert.True(Guid.TryParse(envelope["id"]!.GetValue<string>(), out _));
        Assert.Equal("IVS Composition State Change", envelope["detail-type"]!.GetValue<string>());
        Assert.Equal("aws.ivs", envelope["source"]!.GetValue<string>());
        Assert.Equal("123456789012", envelope["account"]!.GetValue<string>());
        Assert.Equal("us-east-1", envelope["region"]!.GetValue<string>());
        Assert.Equal(
            time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), envelope["time"]!.GetValue<string>());
        Assert.Equal([compositionArn], envelope["resources"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(eventName, envelope["detail"]!["event_name"]!.GetValue<string>());
        Assert.Equal(stageArn, envelope["detail"]!["stage_arn"]!.GetValue<string>());
    }

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())), $"expected {expected}, got {actual}");

    private static string Timestamp(DateTimeOffset time) => WireJson.Timestamp(time);

    private static string IdOf(string arn) => arn[(arn.LastIndexOf('/') + 1)..];
}
