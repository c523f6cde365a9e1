using System.Text.Json;
using IvsServerless.Api;
using IvsServerless.Core.Projection;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Testing.ApiSupport;
using IvsServerless.Testing.Pipeline;

namespace IvsServerless.EventHandlers.Tests;

/// <summary>
/// The whole pipeline locally: participants join, publish and leave through the emulator's /_sim/ surface, the
/// emulator's events go through the local bus with the IVS rule patterns to the ivs-events handler, which projects
/// them into DynamoDB Local; the HTTP API handler then reads the sessions back.
/// </summary>
public sealed class EmulatorPipelineTests(EventsTable table) : IClassFixture<EventsTable>, IAsyncLifetime
{
    private EmulatorEventPipeline _pipeline = null!;
    private ApiHandler _api = null!;

    public async Task InitializeAsync()
    {
        _pipeline = await EmulatorEventPipeline.StartAsync();
        _api = new ApiHandler(table.Stages, table.Compositions, new DynamoDbUsageLedger(table.Client, table.Options),
            ApiIvsPorts.Of(new IvsRealTimeAdapter(_pipeline.Ivs)),
            new ApiOptions { DeploymentTag = "tests" }, sessions: new DynamoDbSessionHistory(table.Client, table.Options));
        _pipeline.RouteTo(new IvsEventsHandler(table.Service()));
    }

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    [Fact]
    public async Task Join_publish_unpublish_and_leave_through_the_emulator_end_as_the_projection_and_the_session_routes_say()
    {
        var stage = await SendAsync("POST", "/stages", "alice", """{"name":"pipeline","visibility":"public","coHostIds":["bob"]}""");
        var stageId = stage.GetProperty("stageId").GetString()!;
        var alice = await JoinAsync(stageId, "alice");
        var bob = await JoinAsync(stageId, "bob");
        var carol = await JoinAsync(stageId, "carol");

        await ActAsync(stageId, alice, "publish");
        await ActAsync(stageId, bob, "publish");
        await ActAsync(stageId, bob, "publish-error", """{"errorCode":"BITRATE_EXCEEDED"}""");
        Assert.Equal(403, (await _pipeline.ActAsync(stageId, carol, "publish")).Status);

        var delivered = await _pipeline.WaitForAllEmittedAsync();
        var live = await SendAsync("GET", $"/stages/{stageId}", "carol");
        var sessionId = live.GetProperty("activeSessionId").GetString()!;
        Assert.Equal([("alice", true), ("bob", true)], live.GetProperty("participants").EnumerateArray()
            .Select(p => (p.GetProperty("userId").GetString(), p.GetProperty("publishing").GetBoolean())).OrderBy(
                p => p.Item1, StringComparer.Ordinal));

        await ActAsync(stageId, bob, "unpublish");
        await ActAsync(stageId, alice, "leave");
        await ActAsync(stageId, bob, "leave");
        await ActAsync(stageId, carol, "leave");
        delivered = await _pipeline.WaitForAllEmittedAsync();

        // The table holds exactly what the pure rules make of the events the emulator emitted.
        Assert.Equal(Projector.ApplyAll(ProjectionState.Empty, delivered), await table.Projection.ReadStageAsync(stageId, default));
        Assert.Empty(_pipeline.DeadLetters);

        var session = await SendAsync("GET", $"/stages/{stageId}/sessions/{sessionId}", "carol");
        var participants = session.GetProperty("participants").EnumerateArray().ToDictionary(p => p.GetProperty("userId").GetString()!);
        Assert.Equal(["alice", "bob", "carol"], participants.Keys.Order(StringComparer.Ordinal));
        Assert.All(participants.Values, p => Assert.False(p.GetProperty("publishing").GetBoolean()));
        Assert.Equal(["Participant Published", "Participant Unpublished"], Timeline(participants["alice"]));
        Assert.Equal(["Participant Published", "Participant Publish Error", "Participant Unpublished"], Timeline(participants["bob"]));
        Assert.Equal(["Participant Publish Error"], Timeline(participants["carol"]));
        Assert.Equal("BITRATE_EXCEEDED", participants["bob"].GetProperty("lastPublishError").GetString());
        Assert.Equal(alice, participants["alice"].GetProperty("participantId").GetString());

        var sessions = await SendAsync("GET", $"/stages/{stageId}/sessions", "carol");
        Assert.Equal(sessionId, Assert.Single(sessions.GetProperty("items").EnumerateArray()).GetProperty("sessionId").GetString());
        Assert.Empty((await SendAsync("GET", $"/stages/{stageId}", "carol")).GetProperty("participants").EnumerateArray());
    }

    private static IEnumerable<string?> Timeline(JsonElement participant) =>
        participant.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("eventName").GetString());

    private async Task<string> JoinAsync(string stageId, string user)
    {
        var token = await SendAsync("POST", $"/stages/{stageId}/participant-tokens", user, null);
        return await _pipeline.JoinAsync(token.GetProperty("token").GetString()!);
    }

    private async Task ActAsync(string stageId, string participantId, string action, string body = "{}")
    {
        var (status, answer) = await _pipeline.ActAsync(stageId, participantId, action, body);
        Assert.True(status is >= 200 and < 300, $"{action}: {status} {answer}");
    }

    private async Task<JsonElement> SendAsync(string method, string path, string user, string? body = null)
    {
        var request = ApiRequest.Of(method, path).As(user);
        if (body is not null)
        {
            request.Json(body);
        }

        var response = await _api.HandleAsync(
            request.Build(), new LambdaContext { AwsRequestId = "test", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) }, default);
        Assert.True(response.StatusCode is >= 200 and < 300, $"{method} {path}: {response.StatusCode} {response.Body}");
        return JsonDocument.Parse(response.Body!).RootElement.Clone();
    }
}
