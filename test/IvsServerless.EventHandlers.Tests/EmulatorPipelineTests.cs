using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Amazon.Runtime;
using IvsServerless.Api;
using IvsServerless.Api.HttpApi;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsEmulator;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsRealTime;
using IvsServerless.Lambda.Runtime;
using IvsServerless.LocalBus;

namespace IvsServerless.EventHandlers.Tests;

/// <summary>
/// The whole pipeline locally: participants join, publish and leave through the emulator's /_sim/ surface, the
/// emulator's events go through the local bus with the IVS rule patterns to the ivs-events handler, which projects
/// them into DynamoDB Local; the HTTP API handler then reads the sessions back.
/// </summary>
public sealed class EmulatorPipelineTests(EventsTable table) : IClassFixture<EventsTable>, IAsyncLifetime
{
    private readonly ChannelEventSink _sink = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<byte[]> _handled = Channel.CreateUnbounded<byte[]>();
    private EmulatorServer _emulator = null!;
    private LocalEventBus _bus = null!;
    private HttpClient _http = null!;
    private ApiHandler _api = null!;
    private Task _pump = Task.CompletedTask;
    private int _handledCount;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = "us-east-1" }, events: _sink);
        _http = new HttpClient { BaseAddress = _emulator.BaseAddress };
        var ivs = new IvsRealTimeClient(new HttpClient(),
            new IvsRealTimeClientOptions { Region = "us-east-1", ServiceUrl = _emulator.BaseAddress.ToString().TrimEnd('/'), MaxAttempts = 1 },
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
        _api = new ApiHandler(table.Stages, table.Compositions, ivs, new ApiOptions { DeploymentTag = "tests" },
            sessions: new DynamoDbSessionHistory(table.Client, table.Options));

        _bus = new LocalEventBus(new LocalEventBusOptions { Delay = (_, _) => Task.CompletedTask });
        var handler = new Observed(new IvsEventsHandler(table.Service()), _handled);
        foreach (var (rule, pattern) in IvsRules.All)
        {
            _bus.AddRule(rule, pattern, handler);
        }

        _pump = _bus.RunAsync(_sink.Reader, e => JsonSerializer.SerializeToUtf8Bytes(e.ToEnvelope()), _stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        await _bus.DisposeAsync();
        _http.Dispose();
        await _emulator.DisposeAsync();
        _stop.Dispose();
    }

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
        using (var refused = await _http.PostAsync($"/_sim/stages/{stageId}/participants/{carol}/publish", null))
        {
            Assert.Equal(403, (int)refused.StatusCode);
        }

        var delivered = await WaitForAllEmittedAsync();
        var live = await SendAsync("GET", $"/stages/{stageId}", "carol");
        var sessionId = live.GetProperty("activeSessionId").GetString()!;
        Assert.Equal([("alice", true), ("bob", true)], live.GetProperty("participants").EnumerateArray()
            .Select(p => (p.GetProperty("userId").GetString(), p.GetProperty("publishing").GetBoolean())).OrderBy(p => p.Item1, StringComparer.Ordinal));

        await ActAsync(stageId, bob, "unpublish");
        await ActAsync(stageId, alice, "leave");
        await ActAsync(stageId, bob, "leave");
        await ActAsync(stageId, carol, "leave");
        delivered = await WaitForAllEmittedAsync();

        // The table holds exactly what the pure rules make of the events the emulator emitted.
        Assert.Equal(Projector.ApplyAll(ProjectionState.Empty, delivered), await table.Projection.ReadStageAsync(stageId, default));
        Assert.Empty(_bus.DeadLetters);

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

    /// <summary>Every event the emulator has emitted so far (it emits before answering), once the handler has applied all of them.</summary>
    private async Task<List<ParsedIvsEvent>> WaitForAllEmittedAsync()
    {
        var emitted = _sink.Recent().Count;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_handledCount < emitted)
        {
            await _handled.Reader.ReadAsync(deadline.Token);
            _handledCount++;
        }

        return [.. _sink.Recent().Select(e => IvsEventParser.TryParse(JsonSerializer.SerializeToUtf8Bytes(e.ToEnvelope()), out var parsed, out var reason)
            ? parsed
            : throw new InvalidOperationException(reason))];
    }

    private async Task<string> JoinAsync(string stageId, string user)
    {
        var token = await SendAsync("POST", $"/stages/{stageId}/participant-tokens", user, null);
        using var response = await _http.PostAsJsonAsync("/_sim/join", new Dictionary<string, string> { ["token"] = token.GetProperty("token").GetString()! });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["participantId"]!.GetValue<string>();
    }

    private async Task ActAsync(string stageId, string participantId, string action, string body = "{}")
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync($"/_sim/stages/{stageId}/participants/{participantId}/{action}", content);
        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> SendAsync(string method, string path, string user, string? body = null)
    {
        var request = new APIGatewayHttpApiV2ProxyRequest
        {
            Version = "2.0",
            RouteKey = "$default",
            RawPath = path,
            Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
            Body = body,
            RequestContext = new APIGatewayHttpApiV2ProxyRequest.ProxyRequestContext
            {
                RequestId = Guid.NewGuid().ToString(),
                Http = new APIGatewayHttpApiV2ProxyRequest.HttpDescription { Method = method, Path = path },
                Authorizer = new APIGatewayHttpApiV2ProxyRequest.AuthorizerDescription
                {
                    Jwt = new APIGatewayHttpApiV2ProxyRequest.JwtDescription { Claims = new Dictionary<string, string> { ["sub"] = user } },
                },
            },
        };
        var response = await _api.HandleAsync(request, new LambdaContext { AwsRequestId = "test", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) }, default);
        Assert.True(response.StatusCode is >= 200 and < 300, $"{method} {path}: {response.StatusCode} {response.Body}");
        return JsonDocument.Parse(response.Body!).RootElement.Clone();
    }

    /// <summary>Passes events to the real handler and reports each one it finished.</summary>
    private sealed class Observed(ILambdaHandler inner, Channel<byte[]> handled) : ILambdaHandler
    {
        public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
        {
            var result = await inner.HandleAsync(payload, context, ct);
            handled.Writer.TryWrite(payload.ToArray());
            return result;
        }
    }
}
