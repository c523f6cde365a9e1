using System.Text.Json;
using IvsServerless.IvsEmulator.Operations;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Tests.Support;

/// <summary>Creating the resources tests need, and driving what only the simulation surface would otherwise change.</summary>
public static class Resources
{
    public static async Task<string> CreateStageAsync(this IvsWireClient client) =>
        Arn(await client.OkAsync("CreateStage"), "stage");

    public static async Task<string> CreateEncoderConfigurationAsync(this IvsWireClient client, object? body = null) =>
        Arn(await client.OkAsync("CreateEncoderConfiguration", body), "encoderConfiguration");

    public static async Task<string> CreateStorageConfigurationAsync(this IvsWireClient client, string bucketName = "my-bucket") =>
        Arn(await client.OkAsync("CreateStorageConfiguration", new { s3 = new { bucketName } }), "storageConfiguration");

    public static async Task<string> CreateIngestConfigurationAsync(this IvsWireClient client, object? body = null) =>
        Arn(await client.OkAsync("CreateIngestConfiguration", body ?? new { ingestProtocol = "RTMPS" }), "ingestConfiguration");

    /// <summary>An existing storage configuration, created if there is none: the quota is only 5, and test classes share an
    /// emulator.</summary>
    public static async Task<string> AnyStorageConfigurationAsync(this IvsWireClient client)
    {
        var existing = (await client.OkAsync("ListStorageConfigurations")).GetProperty("storageConfigurations");
        return existing.GetArrayLength() > 0 ? existing[0].GetProperty("arn").GetString()! : await client.CreateStorageConfigurationAsync();
    }

    /// <summary>An existing encoder configuration, created if there is none (the quota is 20).</summary>
    public static async Task<string> AnyEncoderConfigurationAsync(this IvsWireClient client)
    {
        var existing = (await client.OkAsync("ListEncoderConfigurations")).GetProperty("encoderConfigurations");
        return existing.GetArrayLength() > 0 ? existing[0].GetProperty("arn").GetString()! : await client.CreateEncoderConfigurationAsync();
    }

    /// <summary>Starts a composition recording <paramref name="stageArn"/> to S3 (with any existing configurations unless given).</summary>
    public static async Task<JsonElement> StartS3CompositionAsync(this IvsWireClient client, string stageArn, string? encoderArn = null,
        string? storageArn = null, string? idempotencyToken = null)
    {
        encoderArn ??= await client.AnyEncoderConfigurationAsync();
        storageArn ??= await client.AnyStorageConfigurationAsync();
        var json = await client.OkAsync("StartComposition", new
        {
            stageArn,
            destinations = new[] {
                new { s3 = new { storageConfigurationArn = storageArn, encoderConfigurationArns = new[] { encoderArn } } } },
            idempotencyToken,
        });
        return json.GetProperty("composition");
    }

    public static string Arn(JsonElement response, string member) => response.GetProperty(member).GetProperty("arn").GetString()!;

    /// <summary>Makes one participant join <paramref name="stageArn"/> and publish (or stop publishing), then tells the
    /// compositions, as the simulation surface does.</summary>
    public static void SetPublishing(this EmulatorFixture emulator, string stageArn, string participantId, bool published) =>
        emulator.Emulator.Run(null, context =>
        {
            var stage = context.State.Stages[stageArn];
            stage.ActiveSession ??= new StageSessionRecord
            {
                SessionId = ResourceIds.NewSessionId(),
                StageArn = stageArn,
                StartTime = context.Now
            };
            if (!stage.ActiveSession.Participants.TryGetValue(participantId, out var participant))
            {
                participant = new ParticipantRecord { ParticipantId = participantId, FirstJoinTime = context.Now, AllowPublish = true };
                stage.ActiveSession.Participants.Add(participantId, participant);
            }

            participant.IsPublishing = published;
            participant.Published |= published;
            CompositionOperations.OnPublishersChanged(context, stage);
            return 0;
        });

    /// <summary>Runs <paramref name="body"/> against an emulator of its own, for tests that count resources (quotas).</summary>
    public static async Task WithOwnEmulatorAsync(Func<EmulatorFixture, Task> body)
    {
        var emulator = new EmulatorFixture();
        await emulator.InitializeAsync();
        try
        {
            await body(emulator);
        }
        finally
        {
            await emulator.DisposeAsync();
        }
    }

    /// <summary>The member names of a JSON object, sorted, to assert exact response shapes.</summary>
    public static string[] Members(this JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
}
