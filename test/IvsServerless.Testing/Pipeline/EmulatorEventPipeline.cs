using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Amazon.Runtime;
using IvsServerless.Core.Events;
using IvsServerless.Deployment.Events;
using IvsServerless.IvsEmulator;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsRealTime;
using IvsServerless.Lambda.Runtime;
using IvsServerless.LocalBus;

namespace IvsServerless.Testing.Pipeline;

/// <summary>
/// IVS's event path, locally, for pipeline tests: the emulator (AWS API for a signed <see cref="Ivs"/> client,
/// <c>/_sim/</c> for the devices) emits EventBridge events that go through the local bus, with the IVS rule patterns
/// the CDK rules use, to the handler given to <see cref="RouteTo"/>. A test can wait until that handler has seen every
/// event emitted so far.
/// </summary>
public sealed class EmulatorEventPipeline : IAsyncDisposable
{
    private readonly ChannelEventSink _sink = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<bool> _handled = Channel.CreateUnbounded<bool>();
    private readonly HttpClient _ivsHttp = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly LocalEventBus _bus = new(new LocalEventBusOptions { Delay = (_, _) => Task.CompletedTask });
    private EmulatorServer _emulator = null!;
    private Task _pump = Task.CompletedTask;
    private int _handledCount;

    private EmulatorEventPipeline()
    {
    }

    /// <summary>The emulator's own address, for <c>/_sim/</c> calls.</summary>
    public HttpClient Sim { get; private set; } = null!;

    /// <summary>The typed IVS client, SigV4-signed, no retries, on the emulator.</summary>
    public IvsRealTimeClient Ivs { get; private set; } = null!;

    public IReadOnlyList<DeadLetter> DeadLetters => _bus.DeadLetters;

    public static async Task<EmulatorEventPipeline> StartAsync()
    {
        var pipeline = new EmulatorEventPipeline();
        pipeline._emulator = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = "us-east-1" }, events: pipeline._sink);
        pipeline.Sim = new HttpClient { BaseAddress = pipeline._emulator.BaseAddress };
        pipeline.Ivs = new IvsRealTimeClient(pipeline._ivsHttp,
            new IvsRealTimeClientOptions
            {
                Region = "us-east-1",
                ServiceUrl = pipeline._emulator.BaseAddress.ToString().TrimEnd('/'),
                MaxAttempts = 1
            },
            new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
        return pipeline;
    }

    /// <summary>Routes every IVS rule to <paramref name="handler"/> and starts delivering (once).</summary>
    public void RouteTo(ILambdaHandler handler)
    {
        var observed = new Observed(handler, _handled);
        foreach (var (rule, pattern) in IvsRules.All.Select(r => (r.Name, r.Pattern)))
        {
            _bus.AddRule(rule, pattern, observed);
        }

        _pump = _bus.RunAsync(_sink.Reader, e => JsonSerializer.SerializeToUtf8Bytes(e.ToEnvelope()), _stop.Token);
    }

    /// <summary>
    /// Every event the emulator has emitted so far (it emits before answering), in emission order, once the handler
    /// has finished with all of them (handled, or failed on every attempt and dead-lettered).
    /// </summary>
    public async Task<IReadOnlyList<ParsedIvsEvent>> WaitForAllEmittedAsync()
    {
        var emitted = _sink.Recent();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // An event the handler failed on every attempt is dead-lettered, not handled: it counts as finished too.
        while (_handledCount + _bus.DeadLetters.Count < emitted.Count)
        {
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            poll.CancelAfter(TimeSpan.FromMilliseconds(100));
            try
            {
                await _handled.Reader.ReadAsync(poll.Token);
                _handledCount++;
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                // Look at the dead letters again.
            }
        }

        return [
            .. emitted.Select(
            e => IvsEventParser.TryParse(JsonSerializer.SerializeToUtf8Bytes(e.ToEnvelope()), out var parsed, out var reason)
            ? parsed
            : throw new InvalidOperationException(reason))];
    }

    /// <summary>A device joins with a participant token: <c>POST /_sim/join</c>; returns the participant id.</summary>
    public async Task<string> JoinAsync(string participantToken)
    {
        using var response = await Sim.PostAsJsonAsync("/_sim/join", new Dictionary<string, string> { ["token"] = participantToken });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["participantId"]!.GetValue<string>();
    }

    /// <summary>A participant's device acts (<c>publish</c>, <c>unpublish</c>, <c>leave</c>, …); the emulator's answer,
    /// unchecked.</summary>
    public async Task<(int Status, string Body)> ActAsync(string stageId, string participantId, string action, string body = "{}")
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Sim.PostAsync($"/_sim/stages/{stageId}/participants/{participantId}/{action}", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        await _bus.DisposeAsync();
        Sim?.Dispose();
        _ivsHttp.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        _stop.Dispose();
    }

    /// <summary>Passes events to the handler and signals each one it finished.</summary>
    private sealed class Observed(ILambdaHandler inner, Channel<bool> handled) : ILambdaHandler
    {
        public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
        {
            var result = await inner.HandleAsync(payload, context, ct);
            handled.Writer.TryWrite(true);
            return result;
        }
    }
}
