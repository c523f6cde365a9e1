using System.Net;
using System.Text.Json;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

public sealed class SessionOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string UnknownSession = "st-a1b2c3d4e5f6g";

    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task The_first_join_starts_a_session_and_the_last_leave_ends_it()
    {
        var stageArn = await Client.CreateStageAsync();
        Assert.Null(await Client.ActiveSessionAsync(stageArn));
        Assert.Equal(0, (await Client.OkAsync("ListStageSessions", new { stageArn })).GetProperty("stageSessions").GetArrayLength());

        var startedAt = WireJson.Timestamp(emulator.Clock.GetUtcNow());
        var first = await Client.JoinIdAsync(stageArn);
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;
        Assert.Matches("^st-[a-zA-Z0-9]{13}$", sessionId);
        var second = await Client.JoinIdAsync(stageArn);
        Assert.Equal(sessionId, await Client.ActiveSessionAsync(stageArn));

        var live = (await Client.OkAsync("GetStageSession", new { stageArn, sessionId })).GetProperty("stageSession");
        Assert.Equal(sessionId, live.GetProperty("sessionId").GetString());
        Assert.Equal(startedAt, live.GetProperty("startTime").GetString());
        Assert.False(live.TryGetProperty("endTime", out _));
        var summary = (await Client.OkAsync("ListStages")).GetProperty("stages").EnumerateArray().Single(
            s => s.GetProperty("arn").GetString() == stageArn);
        Assert.Equal(sessionId, summary.GetProperty("activeSessionId").GetString());

        await Client.ActAsync(stageArn, first, "leave");
        Assert.Equal(sessionId, await Client.ActiveSessionAsync(stageArn));
        emulator.Advance(TimeSpan.FromMinutes(3));
        var endedAt = WireJson.Timestamp(emulator.Clock.GetUtcNow());
        await Client.ActAsync(stageArn, second, "leave");

        Assert.Null(await Client.ActiveSessionAsync(stageArn));
        var ended = (await Client.OkAsync("GetStageSession", new { stageArn, sessionId })).GetProperty("stageSession");
        Assert.Equal(endedAt, ended.GetProperty("endTime").GetString());

        // The next join is a new session; sessions are listed newest first.
        emulator.Advance(TimeSpan.FromMinutes(1));
        await Client.JoinIdAsync(stageArn);
        var newSession = (await Client.ActiveSessionAsync(stageArn))!;
        Assert.NotEqual(sessionId, newSession);
        var sessions = (await Client.OkAsync("ListStageSessions", new { stageArn })).GetProperty("stageSessions");
        Assert.Equal([newSession, sessionId], sessions.EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()));
        Assert.Equal(endedAt, sessions[1].GetProperty("endTime").GetString());
        Assert.False(sessions[0].TryGetProperty("endTime", out _));
    }

    [Fact]
    public async Task ListStageSessions_pages_newest_first()
    {
        var stageArn = await Client.CreateStageAsync();
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var participant = await Client.JoinIdAsync(stageArn);
            created.Add((await Client.ActiveSessionAsync(stageArn))!);
            await Client.ActAsync(stageArn, participant, "leave");
            emulator.Advance(TimeSpan.FromSeconds(10));
        }

        var first = await Client.OkAsync("ListStageSessions", new { stageArn, maxResults = 2 });
        var second = await Client.OkAsync(
            "ListStageSessions", new { stageArn, maxResults = 2, nextToken = first.GetProperty("nextToken").GetString() });

        var listed = first.GetProperty("stageSessions").EnumerateArray().Concat(second.GetProperty("stageSessions").EnumerateArray())
            .Select(s => s.GetProperty("sessionId").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(created), listed);
        Assert.False(second.TryGetProperty("nextToken", out _));
    }

    [Fact]
    public async Task GetParticipant_returns_the_Participant_structure()
    {
        var stageArn = await Client.CreateStageAsync();
        var (participantId, token) = await Client.TokenAsync(stageArn, ["PUBLISH"], "carol", attributes: new { seat = "3" });
        var joinedAt = WireJson.Timestamp(emulator.Clock.GetUtcNow());
        await Client.JoinTokenAsync(token, new
        {
            ispName = "Comcast",
            osName = "Microsoft Windows 10 Pro",
            osVersion = "10.0.19044",
            browserName = "Google Chrome",
            browserVersion = "116",
            sdkVersion = "1.3.1"
        });
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;

        var participant = await Client.ParticipantAsync(stageArn, sessionId, participantId);

        Assert.Equal(participantId, participant.GetProperty("participantId").GetString());
        Assert.Equal("carol", participant.GetProperty("userId").GetString());
        Assert.Equal("CONNECTED", participant.GetProperty("state").GetString());
        Assert.Equal(joinedAt, participant.GetProperty("firstJoinTime").GetString());
        Assert.Equal("3", participant.GetProperty("attributes").GetProperty("seat").GetString());
        Assert.False(participant.GetProperty("published").GetBoolean());
        Assert.Equal("Comcast", participant.GetProperty("ispName").GetString());
        Assert.Equal("Microsoft Windows 10 Pro", participant.GetProperty("osName").GetString());
        Assert.Equal("10.0.19044", participant.GetProperty("osVersion").GetString());
        Assert.Equal("Google Chrome", participant.GetProperty("browserName").GetString());
        Assert.Equal("116", participant.GetProperty("browserVersion").GetString());
        Assert.Equal("1.3.1", participant.GetProperty("sdkVersion").GetString());
        Assert.Equal("DISABLED", participant.GetProperty("recordingState").GetString());
        Assert.Equal("WHIP", participant.GetProperty("protocol").GetString());
        Assert.Equal("NONE", participant.GetProperty("replicationType").GetString());
        Assert.False(participant.TryGetProperty("replicationState", out _));
    }

    [Fact]
    public async Task Published_stays_true_after_unpublishing_because_it_means_ever_published()
    {
        var stageArn = await Client.CreateStageAsync();
        var participantId = await Client.PublisherAsync(stageArn);
        await Client.JoinIdAsync(stageArn);
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;

        await Client.ActAsync(stageArn, participantId, "unpublish");

        Assert.True((await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("published").GetBoolean());
    }

    [Fact]
    public async Task ListParticipants_lists_in_join_order_and_applies_each_filter()
    {
        var stageArn = await Client.CreateStageAsync();
        await emulator.EnableRecordingAsync(stageArn);
        var host = await Client.PublisherAsync(stageArn, "host");
        var viewer = await Client.JoinIdAsync(stageArn, ["SUBSCRIBE"], "viewer");
        var leaver = await Client.JoinIdAsync(stageArn, userId: "viewer");
        await Client.ActAsync(stageArn, leaver, "leave");
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;
        await emulator.RecordingsWrittenAsync();

        async Task<List<string>> ListAsync(object body)
        {
            var json = await Client.OkAsync("ListParticipants", body);
            return json.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("participantId").GetString()!).ToList();
        }

        Assert.Equal([host, viewer, leaver], await ListAsync(new { stageArn, sessionId }));
        Assert.Equal([viewer, leaver], await ListAsync(new { stageArn, sessionId, filterByUserId = "viewer" }));
        Assert.Equal([host], await ListAsync(new { stageArn, sessionId, filterByPublished = true }));
        Assert.Equal([viewer, leaver], await ListAsync(new { stageArn, sessionId, filterByPublished = false }));
        Assert.Equal([host, viewer], await ListAsync(new { stageArn, sessionId, filterByState = "CONNECTED" }));
        Assert.Equal([leaver], await ListAsync(new { stageArn, sessionId, filterByState = "DISCONNECTED" }));
        Assert.Equal([host], await ListAsync(new { stageArn, sessionId, filterByRecordingState = "ACTIVE" }));
        Assert.Empty(await ListAsync(new { stageArn, sessionId, filterByRecordingState = "FAILED" }));

        var summary = (await Client.OkAsync("ListParticipants", new { stageArn, sessionId, filterByUserId = "host" })).GetProperty(
            "participants")[0];
        Assert.Equal(["participantId", "userId", "state", "firstJoinTime", "published", "recordingState", "replicationType"],
            summary.EnumerateObject().Select(p => p.Name));

        var page = await Client.OkAsync("ListParticipants", new { stageArn, sessionId, maxResults = 2 });
        Assert.Equal(2, page.GetProperty("participants").GetArrayLength());
        var rest = await Client.OkAsync(
            "ListParticipants", new { stageArn, sessionId, nextToken = page.GetProperty("nextToken").GetString() });
        Assert.Equal(leaver, rest.GetProperty("participants")[0].GetProperty("participantId").GetString());
    }

    [Theory]
    [InlineData("""{"filterByUserId":"a","filterByPublished":true}""")]
    [InlineData("""{"filterByState":"CONNECTED","filterByRecordingState":"ACTIVE"}""")]
    [InlineData("""{"filterByUserId":"","filterByState":"DISCONNECTED"}""")]
    [InlineData("""{"filterByState":"GONE"}""")]
    [InlineData("""{"filterByRecordingState":"DISABLED"}""")]
    [InlineData("""{"maxResults":101}""")]
    public async Task ListParticipants_rejects_more_than_one_filter_and_bad_values(string filters)
    {
        var stageArn = await Client.CreateStageAsync();
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(filters)!;
        body["stageArn"] = JsonSerializer.SerializeToElement(stageArn);
        body["sessionId"] = JsonSerializer.SerializeToElement(UnknownSession);

        (await Client.SendRawAsync(HttpMethod.Post, "/ListParticipants", JsonSerializer.Serialize(body)))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
    }

    [Fact]
    public async Task Unknown_stages_sessions_and_participants_give_empty_lists_not_404()
    {
        var stageArn = await Client.CreateStageAsync();
        var unknownStage = "arn:aws:ivs:us-east-1:123456789012:stage/noSuchStage1";

        Assert.Equal(
            0, (await Client.OkAsync("ListStageSessions", new { stageArn = unknownStage })).GetProperty("stageSessions").GetArrayLength());
        Assert.Equal(
            0, (await Client.OkAsync("ListParticipants", new { stageArn, sessionId = UnknownSession })).GetProperty(
            "participants").GetArrayLength());
        Assert.Equal(
            0, (
            await Client.OkAsync(
            "ListParticipantEvents", new { stageArn = unknownStage, sessionId = UnknownSession, participantId = "abc" }))
            .GetProperty("events").GetArrayLength());
        await Client.JoinIdAsync(stageArn);
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;
        Assert.Equal(0, (await Client.OkAsync("ListParticipantEvents", new { stageArn, sessionId, participantId = "nobodyHere12" }))
            .GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task GetStageSession_and_GetParticipant_are_404_for_unknown_stage_session_or_participant()
    {
        var stageArn = await Client.CreateStageAsync();
        var participantId = await Client.JoinIdAsync(stageArn);
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;
        var unknownStage = "arn:aws:ivs:us-east-1:123456789012:stage/noSuchStage1";

        (await Client.CallAsync("GetStageSession", new { stageArn = unknownStage, sessionId })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("GetStageSession", new { stageArn, sessionId = UnknownSession })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("GetParticipant", new { stageArn = unknownStage, sessionId, participantId })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("GetParticipant", new { stageArn, sessionId = UnknownSession, participantId })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("GetParticipant", new { stageArn, sessionId, participantId = "nobodyHere12" })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Theory]
    [InlineData("GetStageSession", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","sessionId":"st-short"}""")]
    [
        InlineData(
        "GetStageSession", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","sessionId":"xx-a1b2c3d4e5f6g"}""")]
    [InlineData("GetStageSession", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh"}""")]
    [InlineData("GetStageSession", """{"stageArn":"not-an-arn","sessionId":"st-a1b2c3d4e5f6g"}""")]
    [InlineData("ListStageSessions", """{}""")]
    [InlineData("ListStageSessions", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","maxResults":0}""")]
    [InlineData("ListStageSessions", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","nextToken":"forged"}""")]
    [
        InlineData(
        "GetParticipant", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","sessionId":"st-a1b2c3d4e5f6g"}""")]
    [
        InlineData(
        "GetParticipant",
        """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","sessionId":"st-a1b2c3d4e5f6g","participantId":"bad """
        + """id!"}""")]
    [InlineData("ListParticipants", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh"}""")]
    [
        InlineData(
        "ListParticipantEvents", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","sessionId":"st-a1b2c3d4e5f6g"}""")]
    [
        InlineData(
        "ListParticipantEvents",
        """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","sessionId":"st-a1b2c3d4e5f6g","participantId":"p","maxRes"""
        + """ults":101}""")]
    [InlineData("DisconnectParticipant", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh"}""")]
    [InlineData("DisconnectParticipant", """{"participantId":"abc"}""")]
    [
        InlineData(
        "DisconnectParticipant", """{"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","participantId":"bad id!"}""")]
    public async Task Session_operations_validate_their_input(string operation, string body)
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/" + operation, body);
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
    }

    [Fact]
    public async Task ListParticipantEvents_lists_newest_first_with_the_event_members()
    {
        var stageArn = await Client.CreateStageAsync();
        var publisher = await Client.PublisherAsync(stageArn);
        var viewer = await Client.JoinIdAsync(stageArn);
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;
        await Client.ActAsync(stageArn, viewer, "subscribe", new { publisherId = publisher });
        emulator.Advance(TimeSpan.FromSeconds(30));
        var leftAt = WireJson.Timestamp(emulator.Clock.GetUtcNow());
        await Client.ActAsync(stageArn, viewer, "leave");

        var events = (await Client.OkAsync("ListParticipantEvents", new { stageArn, sessionId, participantId = viewer })).GetProperty(
            "events");

        Assert.Equal(
            ["LEFT", "SUBSCRIBE_STOPPED", "SUBSCRIBE_STARTED", "JOINED"], events.EnumerateArray().Select(
            e => e.GetProperty("name").GetString()));
        Assert.Equal(leftAt, events[0].GetProperty("eventTime").GetString());
        Assert.All(events.EnumerateArray(), e => Assert.Equal(viewer, e.GetProperty("participantId").GetString()));
        Assert.Equal(publisher, events[1].GetProperty("remoteParticipantId").GetString());
        Assert.Equal(publisher, events[2].GetProperty("remoteParticipantId").GetString());
        Assert.Equal(["name", "participantId", "eventTime"], events[3].EnumerateObject().Select(p => p.Name));

        var page = await Client.OkAsync("ListParticipantEvents", new { stageArn, sessionId, participantId = viewer, maxResults = 3 });
        var rest = await Client.OkAsync("ListParticipantEvents",
            new { stageArn, sessionId, participantId = viewer, nextToken = page.GetProperty("nextToken").GetString() });
        Assert.Equal("JOINED", rest.GetProperty("events").EnumerateArray().Single().GetProperty("name").GetString());
    }

    [Fact]
    public async Task DisconnectParticipant_makes_a_publisher_leave_ends_the_session_and_revokes_the_participant()
    {
        var stageArn = await Client.CreateStageAsync();
        var (participantId, token) = await Client.TokenAsync(stageArn, userId: "troll");
        await Client.JoinTokenAsync(token);
        await Client.ActAsync(stageArn, participantId, "publish");
        var sessionId = (await Client.ActiveSessionAsync(stageArn))!;

        var response = await Client.CallAsync("DisconnectParticipant", new { stageArn, participantId, reason = "Violated terms" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("{}", response.Text);
        Assert.Equal(
            ["LEFT", "PUBLISH_STOPPED", "PUBLISH_STARTED", "JOINED"], await Client.EventNamesAsync(stageArn, sessionId, participantId));
        Assert.Equal(["Participant Published", "Participant Unpublished"], emulator.Events.EventNamesFor(stageArn));
        Assert.Null(await Client.ActiveSessionAsync(stageArn));
        Assert.Equal("DISCONNECTED", (await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("state").GetString());

        (await Client.JoinRawAsync(new { token })).AssertError(HttpStatusCode.Forbidden, "AccessDeniedException");
        (await Client.CallAsync("DisconnectParticipant", new { stageArn, participantId })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task DisconnectParticipant_is_404_for_unknown_stage_or_participant_and_400_for_a_long_reason()
    {
        var stageArn = await Client.CreateStageAsync();
        var participantId = await Client.JoinIdAsync(stageArn);

        (
            await Client.CallAsync(
            "DisconnectParticipant", new { stageArn = "arn:aws:ivs:us-east-1:123456789012:stage/noSuchStage1", participantId }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("DisconnectParticipant", new { stageArn, participantId = "nobodyHere12" }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("DisconnectParticipant", new { stageArn, participantId, reason = new string('r', 129) }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");

        // Nothing changed on the rejected calls.
        Assert.NotNull(await Client.ActiveSessionAsync(stageArn));
    }

    [Fact]
    public async Task DeleteStage_disconnects_everyone_and_ends_the_session()
    {
        var stageArn = await Client.CreateStageAsync();
        var host = await Client.PublisherAsync(stageArn);
        var viewer = await Client.JoinIdAsync(stageArn);
        var stage = emulator.WithState(state => state.Stages[stageArn]);
        var session = stage.ActiveSession!;

        await Client.OkAsync("DeleteStage", new { arn = stageArn });

        emulator.WithState(_ =>
        {
            Assert.Null(stage.ActiveSession);
            Assert.NotNull(session.EndTime);
            Assert.All(session.Participants.Values, p => Assert.Equal(ParticipantStates.Disconnected, p.State));
            Assert.Equal("LEFT", session.Participants[host].Events[^1].Name);
            Assert.Equal("LEFT", session.Participants[viewer].Events[^1].Name);
            return 0;
        });
        Assert.Equal(["Participant Published", "Participant Unpublished"], emulator.Events.EventNamesFor(stageArn));
    }
}
