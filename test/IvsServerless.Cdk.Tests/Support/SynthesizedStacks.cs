using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace IvsServerless.Cdk.Tests.Support;

/// <summary>One synthesized stack: the CDK assertions view and the template as JSON.</summary>
public sealed class SynthesizedStack(IvsServerlessStack stack, Template template, string text)
{
    /// <summary>The template file exactly as synthesized.</summary>
    public string Text { get; } = text;

    public JsonObject Json { get; } = JsonNode.Parse(text)!.AsObject();

    public IvsServerlessStack Stack { get; } = stack;
    public Template Template { get; } = template;

    public IEnumerable<(string Id, JsonObject Resource)> Resources(string type) =>
        Json["Resources"]!.AsObject()
            .Where(r => r.Value!["Type"]!.GetValue<string>() == type)
            .Select(r => (r.Key, r.Value!.AsObject()));

    public JsonObject Resource(string id) => Json["Resources"]![id]!.AsObject();

    public JsonNode Properties(string id) => Resource(id)["Properties"]!;

    /// <summary>The logical id a <c>{"Ref": …}</c> or <c>{"Fn::GetAtt": [id, …]}</c> points to.</summary>
    public static string Target(JsonNode? reference) =>
        reference?["Ref"]?.GetValue<string>()
        ?? reference?["Fn::GetAtt"]?[0]?.GetValue<string>()
        ?? throw new InvalidOperationException($"Not a reference: {reference?.ToJsonString()}");
}

/// <summary>
/// Synthesizes the stacks once for the whole test run: jsii drives a node process, is not thread-safe and is slow to
/// start. "Default" is what `npx cdk synth` gives with cdk.json's context; "Configured" sets every option (self-signed tokens too).
/// </summary>
public sealed class SynthesizedStacks : IDisposable
{
    private readonly string _assets = Directory.CreateTempSubdirectory("ivs-cdk-asset-").FullName;
    private readonly string _output = Directory.CreateTempSubdirectory("ivs-cdk-out-").FullName;

    public SynthesizedStacks()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");

        // A stand-in for the published executable: the tests check wiring, not the 80 s AOT publish.
        File.WriteAllText(Path.Combine(_assets, "bootstrap"), "#!/bin/sh\nexit 1\n");

        Default = Synthesize("Default", new Dictionary<string, object>());
        ApiMode = Synthesize("ApiMode", new Dictionary<string, object> { ["tokenMode"] = "api" });
        Configured = Synthesize("Configured", new Dictionary<string, object>
        {
            ["jwtIssuer"] = "https://login.example.com/",
            ["jwtAudience"] = "app-one,app-two",
            ["corsAllowedOrigins"] = "https://app.example.com,http://localhost:5173",
            ["compositionBucketName"] = "my-recordings",
            ["compositionChannelArn"] = "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234",
            ["removalPolicy"] = "destroy",
            ["architecture"] = "arm64",
            ["tokenMaxDurationMinutes"] = "60",
            ["idleStageTimeoutMinutes"] = "15",
            ["reconcilerCallsPerSecond"] = "2",
            ["alarmEmail"] = "ops@example.com",
            ["tokenMode"] = "self-signed",
            ["recordingExpirationDays"] = "7",
            ["recordingPlaybackUrlMinutes"] = "15",
            ["eventDelivery"] = "immediate",
        });
    }

    public SynthesizedStack Default { get; }

    /// <summary>Default but <c>tokenMode=api</c>: participant tokens from IVS CreateParticipantToken, no signing key.</summary>
    public SynthesizedStack ApiMode { get; }

    public SynthesizedStack Configured { get; }

    public string AssetDirectory => _assets;

    public IEnumerable<SynthesizedStack> Both => [Default, Configured];

    /// <summary>The context in the repository's cdk.json (what `npx cdk synth` passes to the app).</summary>
    public static Dictionary<string, object> CdkJsonContext()
    {
        var cdkJson = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "cdk.json")))!;
        return cdkJson["context"]!.AsObject().ToDictionary(
            p => p.Key, p => (object)(p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value!.ToJsonString()));
    }

    private SynthesizedStack Synthesize(string name, Dictionary<string, object> context)
    {
        // What the CDK CLI adds to every synthesis (path and asset metadata on by default), then cdk.json's context.
        var merged = new Dictionary<string, object>
        {
            ["aws:cdk:enable-path-metadata"] = true,
            ["aws:cdk:enable-asset-metadata"] = true,
        };
        foreach (var (key, value) in CdkJsonContext())
        {
            merged[key] = value;
        }

        foreach (var (key, value) in context)
        {
            merged[key] = value;
        }

        var app = new App(new AppProps { Context = merged, Outdir = Path.Combine(_output, name) });
        var settings = DeploymentSettings.FromContext(app.Node.TryGetContext);
        var stack = new IvsServerlessStack(app, "IvsServerless", new IvsServerlessStackProps(settings, _assets));

        // Template.FromStack synthesizes the app into its outdir; the JSON view reads the same file.
        var template = Template.FromStack(stack);
        return new SynthesizedStack(stack, template, File.ReadAllText(Path.Combine(_output, name, stack.TemplateFile)));
    }

    public void Dispose()
    {
        Directory.Delete(_assets, recursive: true);
        Directory.Delete(_output, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class CdkCollection : ICollectionFixture<SynthesizedStacks>
{
    public const string Name = "cdk";
}

public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IvsServerless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (IvsServerless.sln) not found above " + AppContext.BaseDirectory);
    }
}
