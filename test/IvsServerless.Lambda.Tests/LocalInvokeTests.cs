using System.Text;
using System.Text.Json;
using IvsServerless.Core.Stages;
using IvsServerless.Deployment.Functions;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Local;
using IvsServerless.Testing;

namespace IvsServerless.Lambda.Tests;

/// <summary>
/// <c>bootstrap invoke &lt;handler&gt; &lt;file&gt;</c>: the built executable runs one handler on a file with the Lambda
/// environment settings (here against DynamoDB Local), as the README documents.
/// </summary>
public sealed class LocalInvokeTests : IAsyncLifetime
{
    private DynamoDbLocal _dynamo = null!;
    private string _table = "";

    public async Task InitializeAsync()
    {
        _dynamo = await DynamoDbLocal.GetSharedAsync();
        _table = await _dynamo.CreateUniqueTableAsync("invoke", TableLayout.Definition);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Invoking_ivs_events_with_a_sample_file_projects_it_into_the_configured_table()
    {
        using (var client = _dynamo.CreateClient())
        {
            await new DynamoDbStageStore(client, new DynamoDbOptions { TableName = _table }).AddAsync(new Stage("q16jrGEyMbMg",
                "arn:aws:ivs:us-east-1:123456789012:stage/q16jrGEyMbMg", "invoked", "owner-1", StageVisibility.Public,
                new HashSet<string>(), new HashSet<string>(), DateTimeOffset.UtcNow), default);
        }

        var sample = RepoPaths.Combine("events/stage-update/participant-published.json");
        var result = await RunAsync([LocalInvoke.Command, BackendFunctions.IvsEvents.Handler, sample], withTable: true);

        Assert.True(result.Succeeded, result.Describe());
        var outcome = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("Applied", outcome.GetProperty("disposition").GetString());
        Assert.Equal("bd9a85e3-4c63-4214-b298-0c7a848da979", outcome.GetProperty("eventId").GetString());
        Assert.Contains("\"outcome\":\"Applied\"", result.StandardError, StringComparison.Ordinal);

        using var reader = _dynamo.CreateClient();
        var state = await new DynamoDbProjectionStore(reader, new DynamoDbOptions { TableName = _table }).ReadStageAsync(
            "q16jrGEyMbMg", default);
        Assert.True(Assert.Single(state.Participants.Values).Publishing!.Value);
    }

    [Fact]
    public async Task Bad_usage_and_bad_configuration_are_reported_with_their_exit_codes()
    {
        var sample = RepoPaths.Combine("events/stage-update/participant-published.json");

        var unknown = await RunAsync([LocalInvoke.Command, "no-such-handler", sample], withTable: true);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains(BackendFunctions.IvsEvents.Handler, unknown.StandardError, StringComparison.Ordinal);

        var missingFile = await RunAsync([LocalInvoke.Command, BackendFunctions.IvsEvents.Handler, "/no/such/file.json"], withTable: true);
        Assert.Equal(2, missingFile.ExitCode);

        var unconfigured = await RunAsync([LocalInvoke.Command, BackendFunctions.IvsEvents.Handler, sample], withTable: false);
        Assert.Equal(1, unconfigured.ExitCode);
        Assert.Contains("TABLE_NAME is required", unconfigured.StandardError, StringComparison.Ordinal);
        Assert.Equal("", unconfigured.StandardOutput);
    }

    [Fact]
    public async Task The_event_can_come_from_stdin_and_the_result_is_all_stdout_holds()
    {
        using var stdin = new MemoryStream("{\"ping\":1}"u8.ToArray());
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var registry = new LambdaHandlerRegistry().Add("echo", () => new Echo());

        var code = await LocalInvoke.RunAsync([LocalInvoke.Command, "echo", "-"], registry, stdin, stdout, stderr);

        Assert.True(code == 0, Encoding.UTF8.GetString(stderr.ToArray()));
        Assert.Equal("{\"ping\":1}\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Contains("\"message\":\"echoed\"", Encoding.UTF8.GetString(stderr.ToArray()), StringComparison.Ordinal);
    }

    private sealed class Echo : ILambdaHandler
    {
        public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
        {
            context.Logger.Log(LambdaLogLevel.Information, "echoed");
            return Task.FromResult(payload);
        }
    }

    private Task<ProcessResult> RunAsync(string[] args, bool withTable)
    {
        var native = System.Environment.GetEnvironmentVariable("BOOTSTRAP_EXECUTABLE");
        return ProcessRunner.RunAsync(
            native ?? "dotnet", native is null ? [Path.Combine(AppContext.BaseDirectory, "bootstrap.dll"), .. args] : args,
            environment: Environment(withTable), timeout: TimeSpan.FromSeconds(60));
    }

    private Dictionary<string, string?> Environment(bool withTable) => new()
    {
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ["TABLE_NAME"] = withTable ? _table : "",
        ["DEPLOYMENT_TAG"] = "test",
        ["DYNAMODB_ENDPOINT"] = _dynamo.ServiceUrl,
    };
}
