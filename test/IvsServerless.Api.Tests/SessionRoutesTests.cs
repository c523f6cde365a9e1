using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;

namespace IvsServerless.Api.Tests;

/// <summary>GET /stages/{id}/sessions[/{sid}] and the participants of GET /stages/{id}, over the event projection.</summary>
public abstract class SessionRoutesTestsBase : IAsyncLifetime
{
    // An hour ago, to the second (IVS event times are whole seconds).
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
    private ApiHarness _api = null!;
    private int _ids;

    public async Task InitializeAsync() => _api = await StartHarnessAsync();

    protected abstract Task<ApiHarness> StartHarnessAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_private_stage_s_sessions_are_404_to_outsiders_like_a_missing_stage()
    {
        var stageId = await _api.CreateStageAsync("alice", "private", invited: ["ivan"]);
        await ApplyAsync(stageId, "st-PRIVATE00001", "pAAAAAAAAAAA", "Participant Published", 0, "alice");

        foreach (var path in new[] { $"/stages/{stageId}/sessions", $"/stages/{stageId}/sessions/st-PRIVATE00001" })
        {
            var outsider = await _api.SendAsync(ApiRequest.Get(path).As("mallory"));
            Assert.Equal(404, outsider.Status);
            Assert.Equal("stage-not-found", outsider.Code);
            Assert.Equal(200, (await _api.SendAsync(ApiRequest.Get(path).As("ivan"))).Status);
            Assert.Equal(200, (await _api.SendAsync(ApiRequest.Get(path).As("alice"))).Status);
            Assert.Equal(401, (await _api.SendAsync(ApiRequest.Get(path).As(null))).Status);
        }

        var missing = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/st-NOSUCHSESSION").As("alice"));
        Assert.Equal((404, "session-not-found"), (missing.Status, missing.Code));
        Assert.Equal(404, (await _api.SendAsync(ApiRequest.Get("/stages/AAAAAAAAAAAA/sessions").As("alice"))).Status);
        var badId = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/not-a-session").As("alice"));
        Assert.Equal(400, badId.Status);
        Assert.Equal(["sessionId"], badId.ErrorFields);
    }

    [Fact]
    public async Task Sessions_page_newest_first_and_foreign_or_forged_cursors_are_400()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var otherStageId = await _api.CreateStageAsync("bob");
        for (var i = 0; i < 5; i++)
        {
            await ApplyAsync(stageId, $"st-PAGED0000{i}", "pAAAAAAAAAAA", "Participant Published", i * 60, "alice");
            await ApplyAsync(otherStageId, $"st-OTHER0000{i}", "pBBBBBBBBBBB", "Participant Published", i * 60, "bob");
        }

        var seen = new List<string>();
        string? cursor = null;
        string? firstCursor = null;
        do
        {
            var request = ApiRequest.Get($"/stages/{stageId}/sessions").As("viewer").Query("limit", "2");
            var page = await _api.SendAsync(cursor is null ? request : request.Query("cursor", cursor));
            Assert.Equal(200, page.Status);
            var items = page.Json.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items.Select(s => s.GetProperty("sessionId").GetString()!));
            cursor = page.Json.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            firstCursor ??= cursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"st-PAGED0000{i}"), seen);

        var foreign = await _api.SendAsync(ApiRequest.Get($"/stages/{otherStageId}/sessions").As("viewer").Query("cursor", firstCursor!));
        Assert.Equal((400, "invalid-cursor"), (foreign.Status, foreign.Code));
        var forged = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions").As("viewer").Query("cursor", "bm90LWEtY3Vyc29y"));
        Assert.Equal((400, "invalid-cursor"), (forged.Status, forged.Code));
        var badLimit = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions").As("viewer").Query("limit", "0"));
        Assert.Equal(["limit"], badLimit.ErrorFields);
    }

    [Fact]
    public async Task A_session_shows_participants_timelines_recordings_and_the_compositions_of_its_span()
    {
        var stageId = await _api.CreateStageAsync("alice");
        var composition = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/compositions").As("alice"));
        Assert.Equal(201, composition.Status);
        const string session = "st-DETAIL000001";
        await ApplyAsync(stageId, session, "pALICE000001", "Participant Published", 0, "alice");
        await ApplyAsync(stageId, session, "pALICE000001", "Participant Publish Error", 5, "alice", errorCode: "BITRATE_EXCEEDED");
        await ApplyRecordingAsync(stageId, session, "pALICE000001", "Recording Start", 1, "ivs-recordings", "rec/alice");
        await ApplyRecordingAsync(stageId, session, "pALICE000001", "Recording End Failure", 7200, "", "");
        await ApplyAsync(stageId, session, "pBOB00000001", "Participant Published", 10, "bob");
        await ApplyAsync(stageId, session, "pBOB00000001", "Participant Unpublished", 7200, "bob");

        var response = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/{session}").As("viewer"));
        Assert.Equal(200, response.Status);
        var json = response.Json;
        Assert.Equal(T0, json.GetProperty("firstActivity").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(7200), json.GetProperty("lastActivity").GetDateTimeOffset());
        var participants = json.GetProperty("participants").EnumerateArray().ToDictionary(p => p.GetProperty("participantId").GetString()!);
        var alice = participants["pALICE000001"];
        Assert.Equal("alice", alice.GetProperty("userId").GetString());
        Assert.True(alice.GetProperty("publishing").GetBoolean());
        Assert.Equal("BITRATE_EXCEEDED", alice.GetProperty("lastPublishError").GetString());
        Assert.Equal("END_FAILED", alice.GetProperty("recording").GetProperty("state").GetString());
        Assert.Equal("rec/alice", alice.GetProperty("recording").GetProperty("s3KeyPrefix").GetString());
        Assert.Equal(["Participant Published", "Recording Start", "Participant Publish Error", "Recording End Failure"],
            alice.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("eventName").GetString()));
        Assert.False(participants["pBOB00000001"].GetProperty("publishing").GetBoolean());
        Assert.False(alice.TryGetProperty("connected", out _));

        // The composition was started an hour after the session began and has not ended: it overlaps.
        var compositions = json.GetProperty("compositions").EnumerateArray().ToList();
        Assert.Equal(
            composition.Json.GetProperty("compositionId").GetString(), Assert.Single(compositions).GetProperty(
            "compositionId").GetString());
        Assert.Equal("alice", compositions[0].GetProperty("startedBy").GetString());
    }

    [Fact]
    public async Task A_stage_lists_the_live_session_s_connected_or_publishing_participants()
    {
        var stageId = await _api.CreateStageAsync("alice");
        const string session = "st-LIVE00000001";
        await ApplyAsync(stageId, session, "pPUBLISHING1", "Participant Published", 0, "alice");
        await ApplyAsync(stageId, session, "pSTOPPED0001", "Participant Published", 0, "bob");
        await ApplyAsync(stageId, session, "pSTOPPED0001", "Participant Unpublished", 30, "bob");
        await ApplyAsync(stageId, session, "pGONE0000001", "Participant Published", 0, "dave");
        var now = T0.AddSeconds(60);
        await _api.Projection.RecordPresenceAsync(
            new ParticipantPresence(new ParticipantKey(stageId, session, "pVIEWER00001"), true, "carol", T0, false, now), default);
        await _api.Projection.RecordPresenceAsync(
            new ParticipantPresence(new ParticipantKey(stageId, session, "pGONE0000001"), false, "dave", T0, true, now), default);

        var before = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("viewer"));
        Assert.Empty(before.Json.GetProperty("participants").EnumerateArray());

        await _api.SetLiveAsync(stageId, session);
        var stage = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("viewer"));
        Assert.Equal(200, stage.Status);
        var listed = stage.Json.GetProperty("participants").EnumerateArray()
            .Select(
                p =>
                (p.GetProperty("participantId").GetString(), p.GetProperty("userId").GetString(), p.GetProperty("publishing").GetBoolean()))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal([("pPUBLISHING1", "alice", true), ("pVIEWER00001", "carol", false)], listed);

        var sessions = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions").As("viewer"));
        Assert.True(Assert.Single(sessions.Json.GetProperty("items").EnumerateArray()).GetProperty("live").GetBoolean());
    }

    [Fact]
    public async Task Recordings_list_newest_first_the_same_whatever_the_delivery_order_and_private_stays_404_to_strangers()
    {
        var stageId = await _api.CreateStageAsync("alice", "private", invited: ["ivan"]);
        const string session = "st-RECORDED0001";
        string Prefix(string participantId, string at) => $"{stageId}/{session}/{participantId}/{at}";
        var events = new List<Func<Task>>
        {
            () => ApplyAsync(stageId, session, "pALICE000001", "Participant Published", 0, "alice"),
            () => ApplyRecordingAsync(stageId, session, "pALICE000001", "Recording Start", 1, "rec", Prefix("pALICE000001", "a")),
            () => ApplyRecordingAsync(stageId, session, "pALICE000001", "Recording End", 61, "rec", Prefix("pALICE000001", "a")),
            () => ApplyAsync(stageId, session, "pIVAN0000001", "Participant Published", 10, "ivan"),
            () => ApplyRecordingAsync(stageId, session, "pIVAN0000001", "Recording Start", 11, "rec", Prefix("pIVAN0000001", "b")),
            () => ApplyAsync(stageId, session, "pBOB00000001", "Participant Published", 20, "bob"),
            () => ApplyRecordingAsync(stageId, session, "pBOB00000001", "Recording Start Failure", 21, "rec", ""),
        };

        // Newest first: bob (started 21 s, failed), ivan (11 s, still recording), alice (1 s, 60 s long).
        (string, string, string, long?)[] expected =
        [
            ("pBOB00000001", "bob", "START_FAILED", null),
            ("pIVAN0000001", "ivan", "ACTIVE", null),
            ("pALICE000001", "alice", "ENDED", 60_000),
        ];
        var path = $"/stages/{stageId}/sessions/{session}/recordings";

        // Reversed, then again in order: late, duplicated and out-of-order events give the same list.
        for (var i = events.Count - 1; i >= 0; i--)
        {
            await events[i]();
        }

        var reversed = await _api.SendAsync(ApiRequest.Get(path).As("ivan"));
        foreach (var apply in events)
        {
            await apply();
        }

        var listed = await _api.SendAsync(ApiRequest.Get(path).As("ivan"));
        Assert.Equal(200, listed.Status);
        Assert.Equal(reversed.Body, listed.Body);
        var items = listed.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expected, items.Select(r => (r.GetProperty("participantId").GetString()!, r.GetProperty("userId").GetString()!,
            r.GetProperty("state").GetString()!, r.TryGetProperty("durationMs", out var d) ? d.GetInt64() : (long?)null)));
        var alice = items[2];
        Assert.Equal($"{session}~pALICE000001", alice.GetProperty("recordingId").GetString());
        Assert.Equal(("rec", Prefix("pALICE000001", "a")),
            (alice.GetProperty("s3BucketName").GetString(), alice.GetProperty("s3KeyPrefix").GetString()));
        Assert.Equal(T0.AddSeconds(1), alice.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(61), alice.GetProperty("endedAt").GetDateTimeOffset());

        var stranger = await _api.SendAsync(ApiRequest.Get(path).As("mallory"));
        Assert.Equal((404, "stage-not-found"), (stranger.Status, stranger.Code));
        Assert.Equal(401, (await _api.SendAsync(ApiRequest.Get(path).As(null))).Status);
        var missing = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}/sessions/st-NOSUCHSESSION/recordings").As("alice"));
        Assert.Equal((404, "session-not-found"), (missing.Status, missing.Code));
    }

    private Task ApplyAsync(
        string stageId, string sessionId, string participantId, string name, int second, string userId, string? errorCode = null)
    {
        var detail = new JsonObject
        {
            ["session_id"] = sessionId,
            ["event_name"] = name,
            ["event_time"] = Time(second),
            ["user_id"] = userId,
            [
                "participant_id"] = participantId,
        };
        if (errorCode is not null)
        {
            detail["error_code"] = errorCode;
        }

        return _api.Projection.ApplyAsync(Event("IVS Stage Update", stageId, second, detail), default);
    }

    private Task ApplyRecordingAsync(
        string stageId, string sessionId, string participantId, string name, int second, string bucket, string prefix) =>
        _api.Projection.ApplyAsync(Event("IVS Participant Recording State Change", stageId, second, new JsonObject
        {
            ["session_id"] = sessionId,
            ["event_name"] = name,
            ["participant_id"] = participantId,
            ["recording_s3_bucket_name"] = bucket,
            ["recording_s3_key_prefix"] = prefix,
        }), default);

    private ParsedIvsEvent Event(string detailType, string stageId, int second, JsonObject detail)
    {
        var json = new JsonObject
        {
            ["version"] = "0",
            ["id"] = $"event-{Interlocked.Increment(ref _ids)}",
            ["detail-type"] = detailType,
            ["source"] = "aws.ivs",
            ["account"] = "123456789012",
            ["time"] = Time(second),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray($"arn:aws:ivs:us-east-1:123456789012:stage/{stageId}"),
            ["detail"] = detail,
        }.ToJsonString();
        return IvsEventParser.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var reason) ? parsed
            : throw new InvalidOperationException(reason);
    }

    private static string Time(int second) =>
        T0.AddSeconds(second).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

public sealed class SessionRoutesTests : SessionRoutesTestsBase
{
    protected override Task<ApiHarness> StartHarnessAsync() => ApiHarness.StartAsync();
}

public sealed class SessionRoutesTestsOnDynamoDbLocal : SessionRoutesTestsBase
{
    protected override Task<ApiHarness> StartHarnessAsync() => ApiHarness.StartOnDynamoDbLocalAsync();
}
