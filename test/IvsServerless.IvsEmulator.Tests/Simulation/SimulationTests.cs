using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;
using IvsServerless.IvsEmulator.Tests.Support;
using IvsServerless.IvsEmulator.Tokens;

namespace IvsServerless.IvsEmulator.Tests.Simulation;

public sealed class SimulationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task A_CreateParticipantToken_token_joins_and_publishing_emits_Participant_Published_exactly_as_IVS()
    {
        var stageArn = await Client.CreateStageAsync();
        var (participantId, token) = await Client.TokenAsync(stageArn, userId: "alice");
        var now = IvsEvent.EventTime(emulator.Clock.GetUtcNow());

        var joined = await Client.JoinTokenAsync(token, new { osName = "Linux", browserName = "Firefox", sdkVersion = "1.20.0" });
        Assert.Equal(participantId, joined.GetProperty("participantId").GetString());
        Assert.Equal(stageArn, joined.GetProperty("stageArn").GetString());
        Assert.Equal("alice", joined.GetProperty("userId").GetString());
        Assert.Equal(["PUBLISH", "SUBSCRIBE"], joined.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        var sessionId = joined.GetProperty("sessionId").GetString()!;
        Assert.Matches("^st-[a-zA-Z0-9]{13}$", sessionId);

        await Client.ActAsync(stageArn, participantId, "publish");

        var published = await emulator.Events.NextAsync(e => e.Resources[0] == stageArn && e.EventName == StageEvents.ParticipantPublished);
        var envelope = JsonNode.Parse(published.ToJson())!.AsObject();
        Assert.Equal(["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"],
            envelope.Select(p => p.Key));
        Assert.Equal("0", (string?)envelope["version"]);
        Assert.True(Guid.TryParse((string?)envelope["id"], out _));
        Assert.Equal("IVS Stage Update", (string?)envelope["detail-type"]);
        Assert.Equal("aws.ivs", (string?)envelope["source"]);
        Assert.Equal("123456789012", (string?)envelope["account"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", (string?)envelope["time"]);
        Assert.Equal(now, (string?)envelope["time"]);
        Assert.Equal("us-east-1", (string?)envelope["region"]);
        Assert.Equal([stageArn], envelope["resources"]!.AsArray().Select(r => (string?)r));
        var detail = envelope["detail"]!.AsObject();
        Assert.Equal(["session_id", "event_name", "event_time", "user_id", "participant_id"], detail.Select(p => p.Key));
        Assert.Equal(sessionId, (string?)detail["session_id"]);
        Assert.Equal("Participant Published", (string?)detail["event_name"]);
        Assert.Equal(now, (string?)detail["event_time"]);
        Assert.Equal("alice", (string?)detail["user_id"]);
        Assert.Equal(participantId, (string?)detail["participant_id"]);

        var participant = await Client.ParticipantAsync(stageArn, sessionId, participantId);
        Assert.True(participant.GetProperty("published").GetBoolean());
        Assert.Equal("Linux", participant.GetProperty("osName").GetString());
        Assert.Equal("Firefox", participant.GetProperty("browserName").GetString());
        Assert.Equal("1.20.0", participant.GetProperty("sdkVersion").GetString());
    }

    [Fact]
    public async Task User_id_is_empty_string_in_events_when_the_token_has_none()
    {
        var stageArn = await Client.CreateStageAsync();
        var participantId = await Client.PublisherAsync(stageArn);

        var published = emulator.Events.EventsFor(stageArn).Single(e => e.EventName == StageEvents.ParticipantPublished);
        Assert.Equal("", published.Detail["user_id"]!.GetValue<string>());
        Assert.Equal(participantId, published.Detail["participant_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sim_events_lists_emitted_envelopes_and_the_signing_key_verifies_emulator_tokens()
    {
        var stageArn = await Client.CreateStageAsync();
        var (_, token) = await Client.TokenAsync(stageArn);
        var participantId = (await Client.JoinTokenAsync(token)).GetProperty("participantId").GetString()!;
        await Client.ActAsync(stageArn, participantId, "publish");

        var events = await Client.SendRawAsync(HttpMethod.Get, "/_sim/events");
        Assert.Equal(HttpStatusCode.OK, events.Status);
        Assert.Contains(events.Json.GetProperty("events").EnumerateArray(), e =>
            e.GetProperty("detail-type").GetString() == "IVS Stage Update"
            && e.GetProperty("resources")[0].GetString() == stageArn
            && e.GetProperty("detail").GetProperty("event_name").GetString() == "Participant Published");

        var key = await Client.SendRawAsync(HttpMethod.Get, "/_sim/token-signing-key");
        Assert.Equal(HttpStatusCode.OK, key.Status);
        Assert.Equal("ES384", key.Json.GetProperty("algorithm").GetString());
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(key.Json.GetProperty("publicKeyPem").GetString());
        var parts = token.Split('.');
        Assert.True(publicKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task Join_refuses_a_tampered_signature_an_expired_token_an_unknown_key_and_a_non_jwt_with_403()
    {
        var stageArn = await Client.CreateStageAsync();
        var (_, token) = await Client.TokenAsync(stageArn);
        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        var tampered = $"{parts[0]}.{parts[1]}.{new string(signature)}";
        (await Client.JoinRawAsync(new { token = tampered })).AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");

        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        claims["capabilities"]!["allow_publish"] = true;
        claims["jti"] = "someoneElse1";
        var forgedPayload = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()))}.{parts[2]}";
        (await Client.JoinRawAsync(new { token = forgedPayload })).AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var unknownKid = SelfSigned(stranger, "arn:aws:ivs:us-east-1:123456789012:public-key/unknownKey12", stageArn, "strangerJti1");
        (await Client.JoinRawAsync(new { token = unknownKid })).AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");

        (await Client.JoinRawAsync(new { token = "not-a-jwt" })).AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");
        Assert.Null(await Client.ActiveSessionAsync(stageArn));
    }

    [Fact]
    public async Task Join_with_an_expired_token_is_403_after_the_clock_passes_exp()
    {
        var stageArn = await Client.CreateStageAsync();
        var (_, token) = await Client.TokenAsync(stageArn, duration: 1);

        emulator.Advance(TimeSpan.FromSeconds(61));

        (await Client.JoinRawAsync(new { token })).AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");
    }

    [Fact]
    public async Task Join_to_a_deleted_stage_is_404()
    {
        var stageArn = await Client.CreateStageAsync();
        var (_, token) = await Client.TokenAsync(stageArn);
        await Client.OkAsync("DeleteStage", new { arn = stageArn });

        (await Client.JoinRawAsync(new { token })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    /// <summary>ImportPublicKey belongs to another group (its HTTP path is tested there): the key is put straight into the state.</summary>
    [Fact]
    public async Task A_self_signed_token_under_an_imported_public_key_is_accepted()
    {
        var stageArn = await Client.CreateStageAsync();
        using var keyPair = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var keyArn = "arn:aws:ivs:us-east-1:123456789012:public-key/selfSigned01";
        emulator.WithState(state =>
        {
            var verification = ECDsa.Create();
            verification.ImportFromPem(keyPair.ExportSubjectPublicKeyInfoPem());
            return state.PublicKeys[keyArn] = new PublicKeyRecord
            {
                Arn = keyArn,
                Name = "backend",
                PublicKeyMaterial = keyPair.ExportSubjectPublicKeyInfoPem(),
                Fingerprint = "00:11",
                Key = verification,
            };
        });

        var token = SelfSigned(keyPair, keyArn, stageArn, "my-own_jti-1", userId: "bob", allowPublish: false);
        var joined = await Client.JoinTokenAsync(token);

        Assert.Equal("my-own_jti-1", joined.GetProperty("participantId").GetString());
        Assert.Equal("bob", joined.GetProperty("userId").GetString());
        Assert.Equal(["SUBSCRIBE"], joined.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));

        // Deleting the key invalidates tokens signed with it.
        emulator.WithState(state => state.PublicKeys.Remove(keyArn));
        var another = SelfSigned(keyPair, keyArn, stageArn, "second-jti", userId: "bob");
        (await Client.JoinRawAsync(new { token = another })).AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");
    }

    [Fact]
    public async Task An_already_connected_participant_id_is_409_and_a_reconnect_keeps_the_participant()
    {
        var stageArn = await Client.CreateStageAsync();
        var (participantId, token) = await Client.TokenAsync(stageArn);
        var joinedAt = WireJson.Timestamp(emulator.Clock.GetUtcNow());
        var first = await Client.JoinTokenAsync(token);
        var sessionId = first.GetProperty("sessionId").GetString()!;
        await Client.JoinIdAsync(stageArn); // someone else keeps the session alive

        (await Client.JoinRawAsync(new { token })).AssertError(HttpStatusCode.Conflict, "ConflictException");

        await Client.ActAsync(stageArn, participantId, "leave");
        emulator.Advance(TimeSpan.FromSeconds(5));
        var again = await Client.JoinTokenAsync(token);

        Assert.Equal(sessionId, again.GetProperty("sessionId").GetString());
        var participant = await Client.ParticipantAsync(stageArn, sessionId, participantId);
        Assert.Equal("CONNECTED", participant.GetProperty("state").GetString());
        Assert.Equal(joinedAt, participant.GetProperty("firstJoinTime").GetString());
        Assert.Equal(["JOINED", "LEFT", "JOINED"], Enumerable.Reverse(await Client.EventNamesAsync(stageArn, sessionId, participantId)));
    }

    [Fact]
    public async Task Publishing_without_the_PUBLISH_capability_fails_with_403_a_PUBLISH_ERROR_and_a_Publish_Error_event()
    {
        var stageArn = await Client.CreateStageAsync();
        var joined = await Client.JoinAsync(stageArn, ["SUBSCRIBE"], userId: "viewer");
        var participantId = joined.GetProperty("participantId").GetString()!;
        var sessionId = joined.GetProperty("sessionId").GetString()!;

        (await Client.ActRawAsync(stageArn, participantId, "publish")).AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");

        var error = emulator.Events.EventsFor(stageArn).Single();
        Assert.Equal("IVS Stage Update", error.DetailType);
        Assert.Equal("Participant Publish Error", error.EventName);
        Assert.Equal("INSUFFICIENT_CAPABILITIES", error.Detail["error_code"]!.GetValue<string>());
        Assert.Equal("viewer", error.Detail["user_id"]!.GetValue<string>());
        var events = (await Client.OkAsync("ListParticipantEvents", new { stageArn, sessionId, participantId })).GetProperty("events");
        Assert.Equal("PUBLISH_ERROR", events[0].GetProperty("name").GetString());
        Assert.Equal("INSUFFICIENT_CAPABILITIES", events[0].GetProperty("errorCode").GetString());
        Assert.False((await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("published").GetBoolean());
    }

    [Fact]
    public async Task The_thirteenth_publisher_gets_QUOTA_EXCEEDED_and_402()
    {
        var stageArn = await Client.CreateStageAsync();
        for (var i = 0; i < 12; i++)
        {
            await Client.PublisherAsync(stageArn);
        }

        var thirteenth = await Client.JoinIdAsync(stageArn);
        (await Client.ActRawAsync(stageArn, thirteenth, "publish")).AssertError(
            HttpStatusCode.PaymentRequired, "ServiceQuotaExceededException");

        var error = emulator.Events.EventsFor(stageArn).Last();
        Assert.Equal("Participant Publish Error", error.EventName);
        Assert.Equal("QUOTA_EXCEEDED", error.Detail["error_code"]!.GetValue<string>());
        Assert.Equal(12, emulator.Events.EventNamesFor(stageArn).Count(n => n == "Participant Published"));
    }

    [Fact]
    public async Task Subscribing_needs_SUBSCRIBE_and_a_publisher_of_the_same_session()
    {
        var stageArn = await Client.CreateStageAsync();
        var publisher = await Client.PublisherAsync(stageArn);
        var viewer = await Client.JoinIdAsync(stageArn, ["SUBSCRIBE"]);
        var publishOnly = await Client.JoinIdAsync(stageArn, ["PUBLISH"]);
        var idle = await Client.JoinIdAsync(stageArn);
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;

        await Client.ActAsync(stageArn, viewer, "subscribe", new { publisherId = publisher });
        (await Client.ActRawAsync(stageArn, viewer, "subscribe", new { publisherId = publisher })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");
        (await Client.ActRawAsync(stageArn, publishOnly, "subscribe", new { publisherId = publisher })).AssertError(
            HttpStatusCode.Forbidden, "AccessDeniedException");
        (await Client.ActRawAsync(stageArn, viewer, "subscribe", new { publisherId = idle })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.ActRawAsync(stageArn, viewer, "subscribe", new { publisherId = "nobodyHere12" })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.ActRawAsync(stageArn, viewer, "subscribe", new { publisherId = viewer })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.ActRawAsync(stageArn, viewer, "subscribe", new { })).AssertError(HttpStatusCode.BadRequest, "ValidationException");

        var viewerEvents = (await Client.OkAsync("ListParticipantEvents", new { stageArn, sessionId, participantId = viewer })).GetProperty(
            "events");
        Assert.Equal("SUBSCRIBE_ERROR", viewerEvents[0].GetProperty("name").GetString());
        Assert.Equal("PUBLISHER_NOT_FOUND", viewerEvents[0].GetProperty("errorCode").GetString());
        Assert.Equal("nobodyHere12", viewerEvents[0].GetProperty("remoteParticipantId").GetString());
        var started = viewerEvents.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "SUBSCRIBE_STARTED");
        Assert.Equal(publisher, started.GetProperty("remoteParticipantId").GetString());
        var denied = (await Client.OkAsync("ListParticipantEvents", new { stageArn, sessionId, participantId = publishOnly })).GetProperty(
            "events")[0];
        Assert.Equal("SUBSCRIBE_ERROR", denied.GetProperty("name").GetString());
        Assert.Equal("INSUFFICIENT_CAPABILITIES", denied.GetProperty("errorCode").GetString());

        // The publisher stops: the subscription ends with it.
        await Client.ActAsync(stageArn, publisher, "unpublish");
        var latest = (await Client.OkAsync("ListParticipantEvents", new { stageArn, sessionId, participantId = viewer })).GetProperty(
            "events")[0];
        Assert.Equal("SUBSCRIBE_STOPPED", latest.GetProperty("name").GetString());
        Assert.Equal(publisher, latest.GetProperty("remoteParticipantId").GetString());
        (await Client.ActRawAsync(stageArn, viewer, "unsubscribe", new { publisherId = publisher })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task Unsubscribe_ends_a_subscription_with_SUBSCRIBE_STOPPED()
    {
        var stageArn = await Client.CreateStageAsync();
        var publisher = await Client.PublisherAsync(stageArn);
        var viewer = await Client.JoinIdAsync(stageArn);
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;
        await Client.ActAsync(stageArn, viewer, "subscribe", new { publisherId = publisher });

        await Client.ActAsync(stageArn, viewer, "unsubscribe", new { publisherId = publisher });

        Assert.Equal(["SUBSCRIBE_STOPPED", "SUBSCRIBE_STARTED", "JOINED"], await Client.EventNamesAsync(stageArn, sessionId, viewer));
    }

    [Fact]
    public async Task Recording_starts_and_ends_with_the_publish_when_the_stage_records_participants()
    {
        var stageArn = await Client.CreateStageAsync();
        await emulator.EnableRecordingAsync(stageArn, "my-recordings");
        var joined = await Client.JoinAsync(stageArn);
        var participantId = joined.GetProperty("participantId").GetString()!;
        var sessionId = joined.GetProperty("sessionId").GetString()!;
        emulator.Advance(TimeSpan.FromSeconds(5));
        var publishedAt = emulator.Clock.GetUtcNow().UtcDateTime.ToString(
            "yyyy-MM-dd'T'HH-mm-ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var publishing = await Client.ActAsync(stageArn, participantId, "publish");
        // STARTING while recording-started.json is written, ACTIVE once it is (and Recording Start is out).
        Assert.Equal("STARTING", publishing.GetProperty("participant").GetProperty("recordingState").GetString());
        await emulator.RecordingsWrittenAsync();
        Assert.Equal(
            "ACTIVE", (await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("recordingState").GetString());
        (
            await Client.CallAsync(
            "UpdateStage", new { arn = stageArn, autoParticipantRecordingConfiguration = new { storageConfigurationArn = "" } }))
            .AssertError(HttpStatusCode.Conflict, "ConflictException");

        var start = emulator.Events.EventsFor(stageArn).Single(e => e.DetailType == IvsEvent.ParticipantRecordingStateChange);
        Assert.Equal("Recording Start", start.EventName);
        Assert.Equal(
            ["session_id", "event_name", "participant_id", "recording_s3_bucket_name", "recording_s3_key_prefix"], start.Detail.Select(
            p => p.Key));
        Assert.Equal("my-recordings", start.Detail["recording_s3_bucket_name"]!.GetValue<string>());
        var prefix = $"{StageScenario.StageId(stageArn)}/{sessionId}/{participantId}/{publishedAt}";
        Assert.Equal(prefix, start.Detail["recording_s3_key_prefix"]!.GetValue<string>());
        var participant = await Client.ParticipantAsync(stageArn, sessionId, participantId);
        Assert.Equal("my-recordings", participant.GetProperty("recordingS3BucketName").GetString());
        Assert.Equal(prefix, participant.GetProperty("recordingS3Prefix").GetString());

        var unpublished = await Client.ActAsync(stageArn, participantId, "unpublish");
        Assert.Equal("STOPPING", unpublished.GetProperty("participant").GetProperty("recordingState").GetString());
        await emulator.RecordingsWrittenAsync();

        Assert.Equal(
            ["Participant Published", "Recording Start", "Participant Unpublished", "Recording End"], emulator.Events.EventNamesFor(
            stageArn));
        Assert.Equal("IVS Participant Recording State Change", emulator.Events.EventsFor(stageArn)[^1].DetailType);
        Assert.Equal(
            "STOPPED", (await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("recordingState").GetString());
    }

    [Fact]
    public async Task A_participant_of_a_stage_that_does_not_record_has_empty_recording_location_strings_not_absent_ones()
    {
        var stageArn = await Client.CreateStageAsync();
        var joined = await Client.JoinAsync(stageArn);
        var participantId = joined.GetProperty("participantId").GetString()!;
        var sessionId = joined.GetProperty("sessionId").GetString()!;
        await Client.ActAsync(stageArn, participantId, "publish");

        // The IVS model: bucket name and prefix are "" (empty string) if recording is not enabled.
        var participant = await Client.ParticipantAsync(stageArn, sessionId, participantId);
        Assert.Equal("", participant.GetProperty("recordingS3BucketName").GetString());
        Assert.Equal("", participant.GetProperty("recordingS3Prefix").GetString());
        Assert.Equal("DISABLED", participant.GetProperty("recordingState").GetString());
    }

    [Fact]
    public async Task Recording_failures_set_FAILED_and_emit_the_failure_events()
    {
        var stageArn = await Client.CreateStageAsync();
        var unrecorded = await Client.JoinIdAsync(stageArn);
        (await Client.ActRawAsync(stageArn, unrecorded, "recording-start-failure")).AssertError(
            HttpStatusCode.Conflict, "ConflictException");

        await emulator.EnableRecordingAsync(stageArn);
        var participantId = await Client.JoinIdAsync(stageArn);
        (await Client.ActRawAsync(stageArn, participantId, "recording-end-failure")).AssertError(
            HttpStatusCode.Conflict, "ConflictException");

        await Client.ActAsync(stageArn, participantId, "publish");
        await emulator.RecordingsWrittenAsync();
        var failed = await Client.ActAsync(stageArn, participantId, "recording-end-failure");
        Assert.Equal("FAILED", failed.GetProperty("participant").GetProperty("recordingState").GetString());
        var startFailed = await Client.ActAsync(stageArn, participantId, "recording-start-failure");
        Assert.Equal("FAILED", startFailed.GetProperty("participant").GetProperty("recordingState").GetString());
        await emulator.RecordingsWrittenAsync();

        var recording = emulator.Events.EventsFor(stageArn).Where(e => e.DetailType == IvsEvent.ParticipantRecordingStateChange).ToList();
        Assert.Equal(["Recording Start", "Recording End Failure", "Recording Start Failure"], recording.Select(e => e.EventName));
        Assert.All(recording, e => Assert.Equal("ivs-recordings", e.Detail["recording_s3_bucket_name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_deleted_storage_configuration_makes_the_recording_fail_to_start()
    {
        var stageArn = await Client.CreateStageAsync();
        var storageArn = await emulator.EnableRecordingAsync(stageArn);
        emulator.WithState(state => state.StorageConfigurations.Remove(storageArn));

        var published = await Client.ActAsync(stageArn, await Client.JoinIdAsync(stageArn), "publish");

        Assert.Equal("FAILED", published.GetProperty("participant").GetProperty("recordingState").GetString());
        await emulator.RecordingsWrittenAsync();
        Assert.Equal("Recording Start Failure", emulator.Events.EventsFor(stageArn).Last().EventName);
    }

    [Fact]
    public async Task Publish_error_action_records_the_error_code_and_emits_Participant_Publish_Error()
    {
        var stageArn = await Client.CreateStageAsync();
        var participantId = await Client.JoinIdAsync(stageArn);
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;

        await Client.ActAsync(stageArn, participantId, "publish-error", new { errorCode = "BITRATE_EXCEEDED" });
        (await Client.ActRawAsync(stageArn, participantId, "publish-error", new { errorCode = "TOO_LOUD" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.ActRawAsync(stageArn, participantId, "publish-error")).AssertError(HttpStatusCode.BadRequest, "ValidationException");

        var error = emulator.Events.EventsFor(stageArn).Single();
        Assert.Equal("Participant Publish Error", error.EventName);
        Assert.Equal("BITRATE_EXCEEDED", error.Detail["error_code"]!.GetValue<string>());
        Assert.Equal(["PUBLISH_ERROR", "JOINED"], await Client.EventNamesAsync(stageArn, sessionId, participantId));
    }

    [Fact]
    public async Task Leave_unpublishes_first_and_the_last_leave_ends_the_session()
    {
        var stageArn = await Client.CreateStageAsync();
        var publisher = await Client.PublisherAsync(stageArn, "host");
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;

        var left = await Client.ActAsync(stageArn, publisher, "leave");

        Assert.False(left.TryGetProperty("activeSessionId", out _));
        Assert.Equal("DISCONNECTED", left.GetProperty("participant").GetProperty("state").GetString());
        Assert.Equal(
            ["LEFT", "PUBLISH_STOPPED", "PUBLISH_STARTED", "JOINED"], await Client.EventNamesAsync(stageArn, sessionId, publisher));
        Assert.Equal(["Participant Published", "Participant Unpublished"], emulator.Events.EventNamesFor(stageArn));
        Assert.Null(await Client.ActiveSessionAsync(stageArn));
    }

    [Fact]
    public async Task Simulation_errors_use_the_wire_error_shape()
    {
        var stageArn = await Client.CreateStageAsync();
        var participantId = await Client.JoinIdAsync(stageArn);

        (await Client.ActRawAsync(stageArn, participantId, "dance")).AssertError(HttpStatusCode.NotFound, "UnknownOperationException");
        (await Client.ActRawAsync(stageArn, participantId, "unpublish")).AssertError(HttpStatusCode.Conflict, "ConflictException");
        await Client.ActAsync(stageArn, participantId, "publish");
        (await Client.ActRawAsync(stageArn, participantId, "publish")).AssertError(HttpStatusCode.Conflict, "ConflictException");
        (await Client.ActRawAsync(stageArn, "notConnected", "publish")).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.ActRawAsync("arn:aws:ivs:us-east-1:123456789012:stage/noSuchStage1", participantId, "publish"))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.JoinRawAsync(new { })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.JoinRawAsync(new { token = 42 })).AssertError(HttpStatusCode.BadRequest, "SerializationException");
        var (_, token) = await Client.TokenAsync(stageArn);
        (await Client.JoinRawAsync(new { token, osName = "bad<os>" })).AssertError(HttpStatusCode.BadRequest, "ValidationException");

        await Client.ActAsync(stageArn, participantId, "leave");
        (await Client.ActRawAsync(stageArn, participantId, "publish")).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task Sim_events_is_404_when_events_go_to_a_sink_without_history()
    {
        await using var server = await EmulatorServer.StartAsync(options: new EmulatorOptions(), events: new DiscardingSink());
        using var client = new IvsWireClient(server.BaseAddress);

        (await client.SendRawAsync(HttpMethod.Get, "/_sim/events")).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    private string SelfSigned(ECDsa key, string keyArn, string stageArn, string jti, string? userId = null, bool allowPublish = true)
    {
        var now = emulator.Clock.GetUtcNow();
        var claims = new ParticipantTokenClaims(
            jti, stageArn, "wss://global.events.live-video.net", "https://abc.global-bm.whip.live-video.net",
            allowPublish, true, userId, new Dictionary<string, string> { ["role"] = "guest" }, now, now.AddHours(12));
        var header = new JsonObject { ["alg"] = "ES384", ["typ"] = "JWT", ["kid"] = keyArn };
        return Jwt.Sign(header, claims.ToJson(), key);
    }

    private sealed class DiscardingSink : IIvsEventSink
    {
        public void Publish(IvsEvent ivsEvent)
        {
        }
    }
}
