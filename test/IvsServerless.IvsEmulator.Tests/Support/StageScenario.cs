using System.Net;
using System.Text.Json;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Tests.Support;

/// <summary>Helpers that drive stages through the API and the /_sim/ surface the way a client would.</summary>
public static class StageScenario
{
    public static async Task<string> CreateStageAsync(this IvsWireClient client, object? body = null)
    {
        var json = await client.OkAsync("CreateStage", body);
        return json.GetProperty("stage").GetProperty("arn").GetString()!;
    }

    public static string StageId(string stageArn) => stageArn[(stageArn.LastIndexOf('/') + 1)..];

    /// <summary>A token from CreateParticipantToken: (participantId, token).</summary>
    public static async Task<(string ParticipantId, string Token)> TokenAsync(this IvsWireClient client, string stageArn,
        string[]? capabilities = null, string? userId = null, int? duration = null, object? attributes = null)
    {
        var json = await client.OkAsync("CreateParticipantToken", new { stageArn, capabilities, userId, duration, attributes });
        var token = json.GetProperty("participantToken");
        return (token.GetProperty("participantId").GetString()!, token.GetProperty("token").GetString()!);
    }

    public static Task<WireResponse> JoinRawAsync(this IvsWireClient client, object body) =>
        client.SendRawAsync(HttpMethod.Post, "/_sim/join", JsonSerializer.Serialize(body));

    /// <summary>Mints a token and joins with it: the join response.</summary>
    public static async Task<JsonElement> JoinAsync(this IvsWireClient client, string stageArn, string[]? capabilities = null,
        string? userId = null, object? attributes = null)
    {
        var (_, token) = await client.TokenAsync(stageArn, capabilities, userId, attributes: attributes);
        return await client.JoinTokenAsync(token);
    }

    public static async Task<JsonElement> JoinTokenAsync(this IvsWireClient client, string token, object? clientInfo = null)
    {
        var body = clientInfo is null
            ? JsonSerializer.SerializeToElement(new { token })
            : Merge(JsonSerializer.SerializeToElement(new { token }), JsonSerializer.SerializeToElement(clientInfo));
        var response = await client.JoinRawAsync(body);
        Assert.True(response.Status == HttpStatusCode.OK, $"join failed: {(int)response.Status} {response.ErrorType} {response.Text}");
        return response.Json;
    }

    /// <summary>Joins and returns the participant id.</summary>
    public static async Task<string> JoinIdAsync(
        this IvsWireClient client, string stageArn, string[]? capabilities = null, string? userId = null) =>
        (await client.JoinAsync(stageArn, capabilities, userId)).GetProperty("participantId").GetString()!;

    public static Task<WireResponse> ActRawAsync(
        this IvsWireClient client, string stageArn, string participantId, string action, object? body = null) =>
        client.SendRawAsync(HttpMethod.Post, $"/_sim/stages/{StageId(stageArn)}/participants/{participantId}/{action}",
            body is null ? null : JsonSerializer.Serialize(body));

    public static async Task<JsonElement> ActAsync(
        this IvsWireClient client, string stageArn, string participantId, string action, object? body = null)
    {
        var response = await client.ActRawAsync(stageArn, participantId, action, body);
        Assert.True(response.Status == HttpStatusCode.OK, $"{action} failed: {(int)response.Status} {response.ErrorType} {response.Text}");
        return response.Json;
    }

    /// <summary>Joins and publishes: the participant id.</summary>
    public static async Task<string> PublisherAsync(this IvsWireClient client, string stageArn, string? userId = null)
    {
        var participantId = await client.JoinIdAsync(stageArn, userId: userId);
        await client.ActAsync(stageArn, participantId, "publish");
        return participantId;
    }

    public static async Task<string?> ActiveSessionAsync(this IvsWireClient client, string stageArn)
    {
        var stage = (await client.OkAsync("GetStage", new { arn = stageArn })).GetProperty("stage");
        return stage.TryGetProperty("activeSessionId", out var id) ? id.GetString() : null;
    }

    public static async Task<JsonElement> ParticipantAsync(
        this IvsWireClient client, string stageArn, string sessionId, string participantId) =>
        (await client.OkAsync("GetParticipant", new { stageArn, sessionId, participantId })).GetProperty("participant");

    /// <summary>ListParticipantEvents names, newest first.</summary>
    public static async Task<List<string>> EventNamesAsync(
        this IvsWireClient client, string stageArn, string sessionId, string participantId) =>
        (await client.OkAsync("ListParticipantEvents", new { stageArn, sessionId, participantId }))
            .GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();

    /// <summary>Every EventBridge event emitted so far for <paramref name="stageArn"/> (resources[0]), oldest first.</summary>
    public static List<IvsEvent> EventsFor(this ChannelEventSink sink, string stageArn) =>
        sink.Recent().Where(e => e.Resources[0] == stageArn).ToList();

    public static List<string?> EventNamesFor(this ChannelEventSink sink, string stageArn) =>
        sink.EventsFor(stageArn).Select(e => e.EventName).ToList();

    /// <summary>Reads the channel (with a timeout, never sleeping) until an event matches; earlier ones are skipped.</summary>
    public static async Task<IvsEvent> NextAsync(this ChannelEventSink sink, Func<IvsEvent, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var next = await sink.Reader.ReadAsync(cancel.Token);
            if (match(next))
            {
                return next;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> on the emulator state under its lock (for set-up the API of this branch lacks).</summary>
    public static T WithState<T>(this EmulatorFixture emulator, Func<EmulatorState, T> action)
    {
        lock (emulator.Emulator.State.Gate)
        {
            return action(emulator.Emulator.State);
        }
    }

    /// <summary>A storage configuration put straight into the state (CreateStorageConfiguration is another group's),
    /// and the stage set to record every publisher into it.</summary>
    public static async Task<string> EnableRecordingAsync(this EmulatorFixture emulator, string stageArn, string bucket = "ivs-recordings",
        bool recordReplicas = true)
    {
        var arn = $"arn:aws:ivs:us-east-1:123456789012:storage-configuration/{Guid.NewGuid():N}"[..^20];
        emulator.WithState(
            state => state.StorageConfigurations[arn] = new StorageConfigurationRecord { Arn = arn, Name = "", BucketName = bucket });
        await emulator.Client.OkAsync("UpdateStage", new
        {
            arn = stageArn,
            autoParticipantRecordingConfiguration = new { storageConfigurationArn = arn, recordParticipantReplicas = recordReplicas },
        });
        return arn;
    }

    private static JsonElement Merge(JsonElement a, JsonElement b)
    {
        var merged = new Dictionary<string, JsonElement>();
        foreach (var property in a.EnumerateObject().Concat(b.EnumerateObject()))
        {
            merged[property.Name] = property.Value;
        }

        return JsonSerializer.SerializeToElement(merged);
    }
}
