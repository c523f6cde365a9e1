using System.Text.Json;
using IvsServerless.Api;
using IvsServerless.Core.Events;
using IvsServerless.EventHandlers;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsRealTime;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Testing.ApiSupport;
using IvsServerless.Testing.Pipeline;
using Xunit.Abstractions;

namespace IvsServerless.Reconciler.Tests;

/// <summary>
/// The event pipeline with lost events, end to end on the local engines: participants join, publish, unpublish and
/// leave through the emulator's /_sim/ surface; its EventBridge events go through the local bus with the IVS rules to
/// the production ivs-events handler, except a seeded ~20% that are lost on the way. The live view the API serves is
/// then wrong; one pass of the production reconciler (IVS API → DynamoDB Local) must make it right again.
/// </summary>
public sealed class DroppedEventsTests(ItemsTable table, ITestOutputHelper output) : IClassFixture<ItemsTable>, IAsyncLifetime
{
    private const string DeploymentTag = "tests";

    // Chosen so that the drop removes ≥ 15% of the events, breaks the live view of a live stage, and loses at least one
    // Participant Unpublished of the stage whose session ends (asserted below, so a change of scenario cannot hide it).
    private const int DropSeed = 7;
    private const double DropFraction = 0.2;

    private readonly Dictionary<string, Participant> _truth = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _stageArns = new(StringComparer.Ordinal);
    private EmulatorEventPipeline _pipeline = null!;
    private ApiHandler _api = null!;
    private Dropping _dropping = null!;

    public async Task InitializeAsync()
    {
        _pipeline = await EmulatorEventPipeline.StartAsync();

        // Wired as FunctionServices.CreateApiHandler / CreateIvsEventsHandler wire them, on DynamoDB Local and the emulator.
        _api = new ApiHandler(Stages, new DynamoDbCompositionStore(table.Client, Options), new DynamoDbUsageLedger(table.Client, Options),
            ApiIvsPorts.Of(new IvsRealTimeAdapter(Ivs)),
            new ApiOptions { DeploymentTag = DeploymentTag }, sessions: new DynamoDbSessionHistory(table.Client, Options));
        var events = new IvsEventsHandler(new IvsEventService(new DynamoDbProjectionStore(table.Client, Options), Stages,
            new DynamoDbCompositionStore(table.Client, Options), new DynamoDbRejectedEventStore(table.Client, Options)));
        _dropping = new Dropping(events, new Random(DropSeed), DropFraction);
        _pipeline.RouteTo(_dropping);
    }

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    private IvsRealTimeClient Ivs => _pipeline.Ivs;

    private DynamoDbOptions Options => table.Options;

    private DynamoDbStageStore Stages => new(table.Client, Options);

    [Fact]
    public async Task After_a_fifth_of_the_events_is_lost_one_reconciler_pass_makes_every_stage_live_view_match_ivs()
    {
        // alpha: stays live; publishers come and go, one publishes again, viewers never publish.
        var alpha = await CreateStageAsync("alpha", "host-a", ["a1", "a2", "a3"]);
        await JoinAsync(alpha, "host-a");
        await JoinAsync(alpha, "a1");
        await JoinAsync(alpha, "a2");
        await JoinAsync(alpha, "a3");
        await JoinAsync(alpha, "viewer-a1");
        await JoinAsync(alpha, "viewer-a2");
        await ActAsync(alpha, "host-a", "publish");
        await ActAsync(alpha, "a1", "publish");
        await ActAsync(alpha, "a2", "publish");
        await ActAsync(alpha, "a3", "publish");
        await ActAsync(alpha, "a2", "unpublish");
        await ActAsync(alpha, "a1", "unpublish");
        await ActAsync(alpha, "a1", "publish");
        await ActAsync(alpha, "a3", "leave");
        await ActAsync(alpha, "viewer-a2", "leave");

        // beta: stays live; everyone who published stopped again, one publisher left while publishing.
        var beta = await CreateStageAsync("beta", "host-b", ["b1", "b2"]);
        await JoinAsync(beta, "host-b");
        await JoinAsync(beta, "b1");
        await JoinAsync(beta, "b2");
        await JoinAsync(beta, "viewer-b1");
        await ActAsync(beta, "host-b", "publish");
        await ActAsync(beta, "b1", "publish");
        await ActAsync(beta, "b2", "publish");
        await ActAsync(beta, "b1", "unpublish");
        await ActAsync(beta, "host-b", "unpublish");
        await ActAsync(beta, "b2", "leave");

        // gamma: the session ends — everybody leaves, most of them while publishing (no event says a session ended).
        var gamma = await CreateStageAsync("gamma", "host-g", ["g1", "g2", "g3"]);
        await JoinAsync(gamma, "host-g");
        await JoinAsync(gamma, "g1");
        await JoinAsync(gamma, "g2");
        await JoinAsync(gamma, "g3");
        await JoinAsync(gamma, "viewer-g1");
        await ActAsync(gamma, "host-g", "publish");
        await ActAsync(gamma, "g1", "publish");
        await ActAsync(gamma, "g2", "publish");
        await ActAsync(gamma, "g3", "publish");
        await ActAsync(gamma, "g1", "unpublish");
        foreach (var user in new[] { "viewer-g1", "g3", "g2", "g1", "host-g" })
        {
            await ActAsync(gamma, user, "leave");
        }

        // delta: a first session ends, then a second one starts.
        var delta = await CreateStageAsync("delta", "host-d", ["d1", "d2", "d3"]);
        await JoinAsync(delta, "host-d");
        await JoinAsync(delta, "d1");
        await ActAsync(delta, "host-d", "publish");
        await ActAsync(delta, "d1", "publish");
        await ActAsync(delta, "d1", "leave");
        await ActAsync(delta, "host-d", "leave");
        await JoinAsync(delta, "d2");
        await JoinAsync(delta, "d3");
        await JoinAsync(delta, "viewer-d1");
        await ActAsync(delta, "d2", "publish");
        await ActAsync(delta, "d3", "publish");
        await ActAsync(delta, "d3", "unpublish");

        string[] stages = [alpha, beta, gamma, delta];
        var emitted = (await _pipeline.WaitForAllEmittedAsync()).Count;
        var dropped = _dropping.Dropped;
        Assert.True(dropped.Count >= 0.15 * emitted, $"Only {dropped.Count} of {emitted} events were dropped.");
        Assert.Empty(_pipeline.DeadLetters);
        Assert.Contains(
            dropped, e => e.EventName == IvsEventName.ParticipantUnpublished && IvsEventParser.ResourceId(e.ResourceArn) == gamma);

        // The truth is what IVS says: the stage's active session and its connected participants, as the test drove them.
        var expected = new Dictionary<string, LiveView>(StringComparer.Ordinal);
        foreach (var stageId in stages)
        {
            expected[stageId] = await TruthAsync(stageId);
        }

        Assert.Null(expected[gamma].ActiveSessionId);
        Assert.NotNull(expected[delta].ActiveSessionId);

        // Before the reconciler the live view is wrong: a live stage because of the lost events, and the ended stage
        // still says live, showing a publisher whose Unpublished was lost.
        var before = new Dictionary<string, LiveView>(StringComparer.Ordinal);
        foreach (var stageId in stages)
        {
            before[stageId] = await LiveViewAsync(stageId);
        }

        output.WriteLine($"{emitted} events emitted, {dropped.Count} dropped: "
            + string.Join(
                ", ", dropped.Select(e => $"{e.EventNameText} on {Array.IndexOf(stages, IvsEventParser.ResourceId(e.ResourceArn))}")));
        foreach (var stageId in stages)
        {
            output.WriteLine($"{Array.IndexOf(stages, stageId)} before: {before[stageId]}\n  truth:  {expected[stageId]}");
        }

        // Not only missing (no event reports joins): a live stage shows something false, which only lost events explain.
        Assert.Contains(stages, s => s != gamma && before[s].Participants.Except(expected[s].Participants).Any());
        Assert.True(before[gamma].Live);
        Assert.Contains(before[gamma].Participants, p => p.Publishing);

        var reconciler = new ReconcilerService(new IvsRealTimeAdapter(Ivs), Stages, new DynamoDbProjectionStore(table.Client, Options),
            new DynamoDbReconcilerCheckpointStore(table.Client, Options), Stages,
            new CompositionConvergence(
                new DynamoDbCompositionStore(table.Client, Options), new IvsRealTimeAdapter(Ivs), TimeProvider.System),
            new ReconcilerOptions { DeploymentTag = DeploymentTag });
        var report = await reconciler.RunAsync(
            "run-1", TimeSpan.FromSeconds(50), new LambdaJsonLogger(Stream.Null), CancellationToken.None);
        output.WriteLine(JsonSerializer.Serialize(report, ReconcilerJsonContext.Default.ReconcileReport));
        Assert.True(report.Ran);
        Assert.True(report.CycleCompleted);
        Assert.False(report.OutOfTime);
        Assert.Equal(0, report.StagesFailed);
        Assert.Equal(stages.Length, report.StagesOfThisDeployment);

        foreach (var stageId in stages)
        {
            Assert.Equal(expected[stageId], await LiveViewAsync(stageId));
        }

        Assert.Equal(new LiveView(false, null, []), await LiveViewAsync(gamma));
    }

    private async Task<string> CreateStageAsync(string name, string owner, string[] coHosts)
    {
        var body = JsonSerializer.Serialize(new { name, visibility = "public", coHostIds = coHosts });
        var stage = await SendAsync(ApiRequest.Post("/stages").As(owner).Json(body));
        var stageId = stage.GetProperty("stageId").GetString()!;
        _stageArns[stageId] = stage.GetProperty("stageArn").GetString()!;
        return stageId;
    }

    private async Task JoinAsync(string stageId, string user)
    {
        var token = await SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As(user));
        var participantId = await _pipeline.JoinAsync(token.GetProperty("token").GetString()!);
        _truth[Key(stageId, user)] = new Participant(participantId, user) { Connected = true };
    }

    private async Task ActAsync(string stageId, string user, string action)
    {
        var participant = _truth[Key(stageId, user)];
        var (status, answer) = await _pipeline.ActAsync(stageId, participant.ParticipantId, action);
        Assert.True(status is >= 200 and < 300, $"{action} {user}: {status} {answer}");
        switch (action)
        {
            case "publish":
                participant.Publishing = true;
                break;
            case "unpublish":
                participant.Publishing = false;
                break;
            case "leave":
                participant.Publishing = false;
                participant.Connected = false;
                break;
        }
    }

    /// <summary>What the live view must say: IVS's active session, and its CONNECTED participants with the publishing state the test left
    /// them in.</summary>
    private async Task<LiveView> TruthAsync(string stageId)
    {
        var stage = (await Ivs.GetStageAsync(new GetStageRequest { Arn = _stageArns[stageId] })).Stage!;
        if (stage.ActiveSessionId is not { } sessionId)
        {
            return new LiveView(false, null, []);
        }

        var connected = (await Ivs.ListParticipantsAsync(new ListParticipantsRequest
        {
            StageArn = stage.Arn,
            SessionId = sessionId,
            FilterByState = ParticipantState.Connected,
            MaxResults = 100,
        })).Participants;
        var driven = _truth.Where(t => t.Key.StartsWith(stageId + "/", StringComparison.Ordinal) && t.Value.Connected).Select(
            t => t.Value).ToList();

        // The emulator and the test's own bookkeeping agree on who is connected.
        Assert.Equal(driven.Select(p => (p.ParticipantId, p.UserId)).Order(), connected.Select(p => (p.ParticipantId!, p.UserId!)).Order());
        return new LiveView(
            true, sessionId, [
            .. driven.Select(p => new ParticipantLine(p.ParticipantId, p.UserId, p.Publishing)).OrderBy(
            p => p.ParticipantId, StringComparer.Ordinal)]);
    }

    /// <summary>GET /stages/{id} through the API handler: live, activeSessionId and the participants it lists.</summary>
    private async Task<LiveView> LiveViewAsync(string stageId)
    {
        var stage = await SendAsync(ApiRequest.Get($"/stages/{stageId}").As("someone"));
        var participants = stage.GetProperty("participants").EnumerateArray()
            .Select(
                p =>
                new ParticipantLine(
                p.GetProperty("participantId").GetString()!, p.GetProperty("userId").GetString()!, p.GetProperty(
                "publishing").GetBoolean()))
            .OrderBy(p => p.ParticipantId, StringComparer.Ordinal);
        return new LiveView(
            stage.GetProperty("live").GetBoolean(), stage.TryGetProperty("activeSessionId", out var session) ? session.GetString() : null,
            [.. participants]);
    }

    private async Task<JsonElement> SendAsync(ApiRequest request)
    {
        var response = await _api.HandleAsync(
            request.Build(), new LambdaContext { AwsRequestId = "test", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) }, default);
        Assert.True(response.StatusCode is >= 200 and < 300, $"{response.StatusCode} {response.Body}");
        return JsonDocument.Parse(response.Body!).RootElement.Clone();
    }

    private static string Key(string stageId, string user) => stageId + "/" + user;

    private sealed class Participant(string participantId, string userId)
    {
        public string ParticipantId { get; } = participantId;
        public string UserId { get; } = userId;
        public bool Connected { get; set; }
        public bool Publishing { get; set; }
    }

    private sealed record ParticipantLine(string ParticipantId, string UserId, bool Publishing);

    /// <summary>What the API's GET /stages/{id} says about the stage being live; compared by value (participants in id order).</summary>
    private sealed record LiveView(bool Live, string? ActiveSessionId, IReadOnlyList<ParticipantLine> Participants)
    {
        public bool Equals(LiveView? other) => other is not null && Live == other.Live && ActiveSessionId == other.ActiveSessionId
            && Participants.SequenceEqual(other.Participants);

        public override int GetHashCode() => HashCode.Combine(Live, ActiveSessionId, Participants.Count);

        public override string ToString() =>
            $"live={Live} session={ActiveSessionId} ["
                + $"{string.Join(", ", Participants.Select(p => $"{p.UserId}:{p.ParticipantId}:{(p.Publishing ? "pub" : "-")}"))}]";
    }

    /// <summary>
    /// Between the bus and the real handler: loses each event with probability <c>fraction</c> (seeded; the bus
    /// delivers one event at a time in emission order, so the same events are lost every run) and reports it as
    /// handled, as a lost EventBridge delivery would look to the rest of the system. Every event seen is signalled.
    /// </summary>
    private sealed class Dropping(ILambdaHandler inner, Random random, double fraction) : ILambdaHandler
    {
        private readonly List<ParsedIvsEvent> _dropped = [];

        public IReadOnlyList<ParsedIvsEvent> Dropped
        {
            get
            {
                lock (_dropped)
                {
                    return [.. _dropped];
                }
            }
        }

        public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
        {
            bool drop;
            lock (_dropped)
            {
                drop = random.NextDouble() < fraction;
                if (drop)
                {
                    _dropped.Add(
                        IvsEventParser.TryParse(payload.Span, out var parsed, out var reason) ? parsed
                        : throw new InvalidOperationException(reason));
                }
            }

            return drop ? ReadOnlyMemory<byte>.Empty : await inner.HandleAsync(payload, context, ct);
        }
    }
}
