using System.Globalization;
using System.Text.Json;
using IvsServerless.IvsEmulator.Tests.Support;
using IvsServerless.Local;
using IvsServerless.Testing;
using Xunit.Abstractions;

namespace IvsServerless.IvsEmulator.Tests.JsSdk;

/// <summary>
/// Proves the emulator's wire format with the official AWS SDK for JavaScript v3 (<c>@aws-sdk/client-ivs-realtime</c>,
/// pinned in <c>test/sdk-js/package.json</c>): <c>test/sdk-js/wire-check.mjs</c> runs a scripted flow against one
/// emulator and prints one JSON report; each test here asserts one step of it.
/// Needs Node.js 20+ and npm on PATH; installs <c>test/sdk-js/node_modules</c> with <c>npm ci</c> when missing.
/// </summary>
public sealed class JsSdkWireTests(JsSdkWireFixture run, ITestOutputHelper output) : IClassFixture<JsSdkWireFixture>
{
    /// <summary>The steps of wire-check.mjs, in order. A step the script did not report fails its test.</summary>
    public static TheoryData<string> Steps => new(JsSdkWireFixture.ExpectedSteps);

    [Theory]
    [MemberData(nameof(Steps))]
    public void Step_passes_with_the_official_sdk(string name)
    {
        var step = run.Step(name);
        var ok = step.GetProperty("ok").GetBoolean();
        Assert.True(ok, $"wire-check step '{name}' failed:\n  - " + string.Join("\n  - ", Strings(step, "failures"))
            + (step.TryGetProperty("error", out var error) ? $"\nerror: {error}" : "")
            + $"\ncalls: {step.GetProperty("calls")}\nwire: {step.GetProperty("wire")}\n{run.StandardErrorForMessages}");
    }

    [Fact]
    public void Every_call_exposes_a_request_id_to_the_sdk()
    {
        var missing = run.Report.GetProperty("steps").EnumerateArray()
            .SelectMany(
                step => step.GetProperty("calls").EnumerateArray().Select(call => (Step: step.GetProperty("name").GetString(), Call: call)))
            .Where(
                x => x.Call.GetProperty("requestId").ValueKind != JsonValueKind.String
                || x.Call.GetProperty("requestId").GetString()!.Length == 0)
            .Select(x => $"{x.Step}: {x.Call}")
            .ToList();
        Assert.True(
            run.Report.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("calls").GetArrayLength() > 0),
            "wire-check made no calls");
        Assert.True(missing.Count == 0, "calls without $metadata.requestId:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Script_ran_every_step_with_the_pinned_sdk_and_exited_zero()
    {
        var report = run.Report;
        Assert.False(report.TryGetProperty("fatal", out var fatal), $"wire-check stopped early: {fatal}\n{run.StandardErrorForMessages}");
        var reported = report.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(JsSdkWireFixture.ExpectedSteps, reported);
        Assert.Equal(run.PinnedSdkVersion, report.GetProperty("sdk").GetProperty("version").GetString());

        output.WriteLine(
            $"npm ci: {(
            run.NpmCi is null ? "not needed (node_modules present)" : run.NpmCi.Elapsed.TotalSeconds.ToString(
            "0.0", CultureInfo.InvariantCulture) + " s")}");
        output.WriteLine($"node wire-check.mjs: {run.Node!.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        var failed = report.GetProperty("steps").EnumerateArray().Where(s => !s.GetProperty("ok").GetBoolean()).Select(
            s => s.GetProperty("name").GetString());
        Assert.True(
            run.Node.ExitCode == 0,
            $"wire-check exited {run.Node.ExitCode}; failed steps: {string.Join(", ", failed)}\n{run.StandardErrorForMessages}");
    }

    [Fact]
    public void Token_expiration_times_are_the_emulator_clock_plus_duration()
    {
        var now = run.ClockAtStart;
        var created = run.Step("CreateStage");
        Assert.True(created.GetProperty("ok").GetBoolean(), "CreateStage failed; see its own test");
        var stageTokens = Strings(created.GetProperty("details"), "tokenExpirationTimes");
        Assert.Equal([Iso(now.AddMinutes(60)), Iso(now.AddMinutes(720))], stageTokens);

        var minted = run.Step("CreateParticipantToken");
        Assert.True(minted.GetProperty("ok").GetBoolean(), "CreateParticipantToken failed; see its own test");
        Assert.Equal(Iso(now.AddMinutes(60)), minted.GetProperty("details").GetProperty("expirationTime").GetString());
    }

    [Fact]
    public void UntagResource_sends_the_key_with_a_space_as_a_repeated_query_parameter()
    {
        var tags = run.Step("Tags");
        var untag = tags.GetProperty("wire").EnumerateArray().FirstOrDefault(w => w.GetProperty("method").GetString() == "DELETE");
        Assert.True(untag.ValueKind == JsonValueKind.Object, $"no DELETE /tags/… request was made: {tags.GetProperty("failures")}");
        Assert.StartsWith("/tags/arn%3Aaws%3Aivs%3A", untag.GetProperty("path").GetString(), StringComparison.Ordinal);
        var keys = untag.GetProperty("query").GetProperty("tagKeys");
        Assert.Equal("team name", keys.ValueKind == JsonValueKind.Array ? keys[0].GetString() : keys.GetString());
    }

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static List<string?> Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.ToString()).ToList()
            : [];
}

/// <summary>Starts one emulator, makes sure the SDK is installed, runs wire-check.mjs once, and keeps its report.</summary>
public sealed class JsSdkWireFixture : IAsyncLifetime
{
    public static readonly string[] ExpectedSteps =
    [
        "CreateStage", "GetStage", "ListStages.paginate", "UpdateStage", "CreateParticipantToken",
        "EncoderConfiguration", "CreateStorageConfiguration", "StartComposition.idempotent", "GetComposition",
        "ListCompositions", "StopComposition", "Tags", "PublicKeys",
        "Error.GetStageUnknown", "Error.CreateStageBadName", "DeleteStage",
    ];

    private static readonly TimeSpan NodeTimeout = TimeSpan.FromMinutes(2);
    private const string SdkPackage = "@aws-sdk/client-ivs-realtime";

    private readonly EmulatorFixture _emulator = new();
    private string? _setupError;
    private JsonElement _report;

    public static string SdkDirectory => RepoPaths.Combine("test", "sdk-js");

    /// <summary>The emulator's fake clock when the script ran (it is never advanced here).</summary>
    public DateTimeOffset ClockAtStart { get; private set; }

    public string? PinnedSdkVersion { get; private set; }

    /// <summary>The <c>npm ci</c> run, if node_modules had to be installed.</summary>
    public ProcessResult? NpmCi { get; private set; }

    public ProcessResult? Node { get; private set; }

    /// <summary>The parsed report; fails the calling test with the setup problem if there is none.</summary>
    public JsonElement Report
    {
        get
        {
            Assert.True(_setupError is null, _setupError);
            return _report;
        }
    }

    public string StandardErrorForMessages => Node is null || Node.StandardError.Length == 0
        ? "(wire-check wrote nothing to stderr)"
        : "--- wire-check stderr ---\n" + Node.StandardError.TrimEnd();

    public JsonElement Step(string name)
    {
        var step = Report.GetProperty("steps").EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == name);
        Assert.True(step.ValueKind == JsonValueKind.Object,
            $"wire-check reported no step '{name}'" + (Report.TryGetProperty("fatal", out var fatal) ? $" (it stopped early: {fatal})" : "")
            + $"\n{StandardErrorForMessages}");
        return step;
    }

    public async Task InitializeAsync()
    {
        await _emulator.InitializeAsync();
        try
        {
            PinnedSdkVersion = NpmPackages.PinnedVersion(SdkDirectory, SdkPackage);
            var node = ProcessRunner.FindOnPath("node") ?? throw new SetupException(
                "`node` is not on PATH. The JS SDK wire test needs Node.js 20+ and npm (Debian: apt-get install nodejs npm).");
            NpmCi = await NpmPackages.EnsureInstalledAsync(SdkDirectory, SdkPackage);

            ClockAtStart = _emulator.Clock.GetUtcNow();
            var endpoint = _emulator.Server.BaseAddress.ToString().TrimEnd('/');
            Node = await ProcessRunner.RunAsync(node, ["wire-check.mjs", endpoint], SdkDirectory,
                new Dictionary<string, string?> { ["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true" }, NodeTimeout);
            if (Node.TimedOut)
            {
                throw new SetupException("wire-check.mjs did not finish in time:\n" + Node.Describe());
            }

            try
            {
                _report = JsonDocument.Parse(Node.StandardOutput).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new SetupException($"wire-check.mjs did not print one JSON object ({e.Message}):\n{Node.Describe()}");
            }
        }
        catch (SetupException e)
        {
            _setupError = e.Message;
        }
        catch (InvalidOperationException e)
        {
            _setupError = e.Message;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _setupError = e.Message;
        }
    }

    public Task DisposeAsync() => _emulator.DisposeAsync();

    private sealed class SetupException(string message) : Exception(message);
}
