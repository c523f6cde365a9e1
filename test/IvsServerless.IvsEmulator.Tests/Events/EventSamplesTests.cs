using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Operations;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Events;

/// <summary>
/// The samples in <c>events/</c> are captured from the emulator, so handlers are tested against the shape it emits.
/// This drives every event the emulator can send through the API and <c>/_sim/</c>, then checks that each committed
/// sample still has the emulator's shape (member names and JSON kinds, not ids or times).
/// Set <c>IVS_WRITE_EVENT_SAMPLES=1</c> to rewrite the samples from a fresh capture.
/// </summary>
public sealed class EventSamplesTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly string[] CapturedFolders = ["stage-update", "participant-recording-state-change", "composition-state-change"];

    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task Committed_samples_match_the_events_the_emulator_emits()
    {
        var captured = await CaptureAsync();
        var root = Path.Combine(RepositoryRoot(), "events");

        if (Environment.GetEnvironmentVariable("IVS_WRITE_EVENT_SAMPLES") == "1")
        {
            foreach (var (path, envelope) in captured)
            {
                var file = Path.Combine(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(
                    file, envelope.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", new UTF8Encoding(
                    encoderShouldEmitUTF8Identifier: false));
            }
        }

        var committed = CapturedFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.json"))
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(captured.Keys.Order(StringComparer.Ordinal), committed);
        foreach (var (path, envelope) in captured)
        {
            var sample = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, path)))!;
            Assert.True(Shape(envelope).SequenceEqual(Shape(sample)),
                $"{path}: committed [{string.Join(", ", Shape(sample))}] but the emulator emits [{string.Join(", ", Shape(envelope))}]");
            Assert.Equal(envelope["detail-type"]!.GetValue<string>(), sample["detail-type"]!.GetValue<string>());
            Assert.Equal(envelope["detail"]!["event_name"]!.GetValue<string>(), sample["detail"]!["event_name"]!.GetValue<string>());
        }
    }

    /// <summary>One envelope per (detail-type, event_name), keyed by its sample path.</summary>
    private async Task<SortedDictionary<string, JsonObject>> CaptureAsync()
    {
        var stage = await Client.CreateStageAsync();
        var otherStage = await Client.CreateStageAsync();
        await emulator.EnableRecordingAsync(stage);

        var host = await Client.PublisherAsync(stage, userId: "alice");                          // Published, Recording Start
        await Client.ActAsync(stage, host, "publish-error", new { errorCode = "BITRATE_EXCEEDED" });
        await Client.OkAsync(
            "StartParticipantReplication", new { sourceStageArn = stage, destinationStageArn = otherStage, participantId = host });
        await Client.OkAsync(
            "StopParticipantReplication", new { sourceStageArn = stage, destinationStageArn = otherStage, participantId = host });
        await Client.ActAsync(stage, host, "unpublish");                                       // Unpublished, Recording End
        var guest = await Client.PublisherAsync(stage);                                        // user_id ""
        await Client.ActAsync(stage, guest, "recording-end-failure");
        await Client.ActAsync(stage, guest, "recording-start-failure");
        await emulator.RecordingsWrittenAsync();

        var delay = emulator.Emulator.Options.CompositionTransitionDelay;
        var stopped = (await Client.StartS3CompositionAsync(stage)).GetProperty("arn").GetString()!;
        emulator.Advance(delay);                                                               // Session Start, Destination Start
        await Client.OkAsync("StopComposition", new { arn = stopped });
        emulator.Advance(delay);                                                               // Destination End, Session End
        var failed = (await Client.StartS3CompositionAsync(stage)).GetProperty("arn").GetString()!;
        emulator.Advance(delay);
        emulator.Emulator.Run(null, context =>
        {
            CompositionOperations.Fail(context, context.State.Compositions[failed], "Stage resource unavailable");
            return 0;
        });

        var samples = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var e in emulator.Events.Recent().Where(
            e => e.Resources[0] == stage || e.Resources[0] == stopped || e.Resources[0] == failed))
        {
            samples.TryAdd(SamplePath(e), e.ToEnvelope());
        }

        return samples;
    }

    /// <summary>"IVS Stage Update" / "Participant Published" → stage-update/participant-published.json.</summary>
    public static string SamplePath(IvsEvent e) =>
        $"{Kebab(e.DetailType.Replace("IVS ", "", StringComparison.Ordinal))}/{Kebab(e.EventName!)}.json";

    private static string Kebab(string words) => words.Trim().ToLowerInvariant().Replace(' ', '-');

    /// <summary>Every member path with its JSON kind, e.g. "detail.user_id:String", "resources[]:String".</summary>
    private static List<string> Shape(JsonNode node)
    {
        var paths = new List<string>();
        Walk(node, "$", paths);
        paths.Sort(StringComparer.Ordinal);
        return paths;
    }

    private static void Walk(JsonNode? node, string path, List<string> paths)
    {
        switch (node)
        {
            case JsonObject obj:
                paths.Add(path + ":Object");
                foreach (var (name, child) in obj)
                {
                    Walk(child, path + "." + name, paths);
                }

                break;
            case JsonArray array:
                paths.Add(path + ":Array");
                foreach (var item in array.Distinct())
                {
                    Walk(item, path + "[]", paths);
                }

                break;
            default:
                paths.Add(path + ":" + (node?.GetValueKind() switch
                {
                    JsonValueKind.True or JsonValueKind.False => "Boolean",
                    null => "Null",
                    var kind => kind.ToString(),
                }));
                break;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IvsServerless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("IvsServerless.sln not found above " + AppContext.BaseDirectory);
    }
}
