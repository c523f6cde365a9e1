using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.Deployment.Events;
using IvsServerless.IvsEmulator;
using IvsServerless.IvsEmulator.Events;

namespace IvsServerless.LocalBus.Tests;

/// <summary>The emulator's events reach a handler through the bus with the IVS rule patterns, as in AWS.</summary>
public class EmulatorEndToEndTests
{
    [Fact]
    public async Task A_participant_publishing_reaches_the_stage_update_target()
    {
        var sink = new ChannelEventSink();
        await using var emulator = await EmulatorServer.StartAsync(events: sink);
        await using var bus = new LocalEventBus(new LocalEventBusOptions { Delay = (_, _) => Task.CompletedTask });
        var stageUpdates = new RecordingHandler();
        var compositions = new RecordingHandler();
        bus.AddRule(IvsRules.StageUpdate.Name, IvsRules.StageUpdate.Pattern, stageUpdates);
        bus.AddRule(IvsRules.CompositionStateChange.Name, IvsRules.CompositionStateChange.Pattern, compositions);
        using var stop = new CancellationTokenSource();
        var pump = bus.RunAsync(sink.Reader, e => JsonSerializer.SerializeToUtf8Bytes(e.ToEnvelope()), stop.Token);

        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        var stageArn = (await PostAsync(http, "/CreateStage", new { name = "bus-e2e" }))["stage"]!["arn"]!.GetValue<string>();
        var token = (await PostAsync(http, "/CreateParticipantToken", new { stageArn, userId = "alice" }))["participantToken"]![
            "token"]!.GetValue<string>();
        var participantId = (await PostAsync(http, "/_sim/join", new { token }))["participantId"]!.GetValue<string>();
        var stageId = stageArn[(stageArn.LastIndexOf('/') + 1)..];
        await PostAsync(http, $"/_sim/stages/{stageId}/participants/{participantId}/publish", new { });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await stageUpdates.Received.ReadAsync(timeout.Token);
        Assert.Equal("IVS Stage Update", received["detail-type"]!.GetValue<string>());
        Assert.Equal("aws.ivs", received["source"]!.GetValue<string>());
        Assert.Equal(stageArn, received["resources"]![0]!.GetValue<string>());
        Assert.Equal("Participant Published", received["detail"]!["event_name"]!.GetValue<string>());
        Assert.Equal(participantId, received["detail"]!["participant_id"]!.GetValue<string>());
        Assert.Equal("alice", received["detail"]!["user_id"]!.GetValue<string>());
        Assert.Equal(0, compositions.Calls);
        Assert.Empty(bus.DeadLetters);

        await stop.CancelAsync();
        await pump.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
