using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsEmulator;
using IvsServerless.Testing;

namespace IvsServerless.Lambda.Tests;

/// <summary>
/// The built <c>bootstrap</c> executable as Lambda runs it: a separate process, configured only by environment
/// variables, talking to a Runtime API (in-test), the IVS emulator and DynamoDB Local. By default the JIT build
/// (<c>dotnet bootstrap.dll</c>); set <c>BOOTSTRAP_EXECUTABLE</c> to a Native AOT publish to run the same tests on it.
/// </summary>
public sealed class BootstrapProcessTests : IAsyncLifetime
{
    private EmulatorServer _ivs = null!;
    private DynamoDbLocal _dynamo = null!;
    private string _table = "";

    public async Task InitializeAsync()
    {
        _ivs = await EmulatorServer.StartAsync();
        _dynamo = await DynamoDbLocal.GetSharedAsync();
        _table = await _dynamo.CreateUniqueTableAsync("lambda", TableLayout.Definition);
    }

    public async Task DisposeAsync() => await _ivs.DisposeAsync();

    [Fact]
    public async Task Serves_api_requests_and_answers_malformed_events_with_a_problem()
    {
        await using var runtime = FakeRuntimeApi.Start();
        using var function = StartBootstrap(runtime, "api");
        try
        {
            var created = await runtime.WaitForResultAsync(runtime.Enqueue(HttpEvent("POST", "/stages", "owner-1", """{"name":"from-bootstrap","visibility":"public"}""")));
            var response = JsonDocument.Parse(created.Body).RootElement;
            Assert.Equal("response", created.Kind);
            Assert.True(response.GetProperty("statusCode").GetInt32() == 201, Encoding.UTF8.GetString(created.Body));
            var stage = JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement;
            var stageId = stage.GetProperty("stageId").GetString();

            var fetched = await runtime.WaitForResultAsync(runtime.Enqueue(HttpEvent("GET", $"/stages/{stageId}", "viewer-2", null)));
            Assert.Equal(200, JsonDocument.Parse(fetched.Body).RootElement.GetProperty("statusCode").GetInt32());

            var malformed = await runtime.WaitForResultAsync(runtime.Enqueue("{not an event"u8.ToArray()));
            var problem = JsonDocument.Parse(malformed.Body).RootElement;
            Assert.Equal(400, problem.GetProperty("statusCode").GetInt32());
            Assert.DoesNotContain("   at ", problem.GetProperty("body").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Stop(function);
        }
    }

    [Fact]
    public async Task Unknown_handler_is_an_init_error_listing_the_known_ones()
    {
        await using var runtime = FakeRuntimeApi.Start();
        using var function = StartBootstrap(runtime, "no-such-handler");
        try
        {
            var error = await runtime.WaitForInitErrorAsync();
            Assert.Equal("Runtime.NoSuchHandler", error.ErrorTypeHeader);
            Assert.Contains(FunctionHandlers.Api, Encoding.UTF8.GetString(error.Body), StringComparison.Ordinal);
        }
        finally
        {
            Stop(function);
        }
    }

    [Fact]
    public async Task Missing_configuration_is_an_init_error_naming_the_variable()
    {
        await using var runtime = FakeRuntimeApi.Start();
        using var function = StartBootstrap(runtime, "api", withoutTable: true);
        try
        {
            var error = await runtime.WaitForInitErrorAsync();
            Assert.Contains("TABLE_NAME is required", Encoding.UTF8.GetString(error.Body), StringComparison.Ordinal);
        }
        finally
        {
            Stop(function);
        }
    }

    private Process StartBootstrap(FakeRuntimeApi runtime, string handler, bool withoutTable = false)
    {
        var native = Environment.GetEnvironmentVariable("BOOTSTRAP_EXECUTABLE");
        var start = new ProcessStartInfo(native ?? "dotnet", native is null ? [Path.Combine(AppContext.BaseDirectory, "bootstrap.dll")] : [])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var environment = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.Address,
            ["_HANDLER"] = handler,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ["TABLE_NAME"] = withoutTable ? "" : _table,
            ["DEPLOYMENT_TAG"] = "test",
            ["IVS_ENDPOINT"] = _ivs.BaseAddress.ToString(),
            ["DYNAMODB_ENDPOINT"] = _dynamo.ServiceUrl,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    private static byte[] HttpEvent(string method, string path, string sub, string? body)
    {
        var route = path.StartsWith("/stages/", StringComparison.Ordinal) ? "/stages/{stageId}" : path;
        var payload = new Dictionary<string, object?>
        {
            ["version"] = "2.0",
            ["routeKey"] = $"{method} {route}",
            ["rawPath"] = path,
            ["rawQueryString"] = "",
            ["headers"] = new Dictionary<string, string> { ["content-type"] = "application/json" },
            ["pathParameters"] = path.StartsWith("/stages/", StringComparison.Ordinal) ? new Dictionary<string, string> { ["stageId"] = path["/stages/".Length..] } : null,
            ["requestContext"] = new Dictionary<string, object>
            {
                ["requestId"] = Guid.NewGuid().ToString(),
                ["http"] = new Dictionary<string, string> { ["method"] = method, ["path"] = path },
                ["authorizer"] = new Dictionary<string, object> { ["jwt"] = new Dictionary<string, object> { ["claims"] = new Dictionary<string, string> { ["sub"] = sub } } },
            },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        };
        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }
}
