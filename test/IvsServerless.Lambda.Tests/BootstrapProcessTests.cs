using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IvsServerless.Deployment.Functions;
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
            var created = await runtime.WaitForResultAsync(
                runtime.Enqueue(HttpEvent("POST", "/stages", "owner-1", """{"name":"from-bootstrap","visibility":"public"}""")));
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
            Assert.Contains(BackendFunctions.Api.Handler, Encoding.UTF8.GetString(error.Body), StringComparison.Ordinal);
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

    [Fact]
    public async Task Key_rotation_provisions_a_key_and_the_self_signed_api_mints_a_token_the_emulator_accepts()
    {
        await using var ssm = FakeParameterStore.Start();
        var tokenSettings = new Dictionary<string, string>
        {
            ["TOKEN_MODE"] = "self-signed",
            ["TOKEN_SIGNING_KEY_PARAMETER"] = "/ivs-serverless/test/token-signing-key",
            ["TOKEN_SIGNING_KMS_KEY_ID"] = "alias/test",
            ["SSM_ENDPOINT"] = ssm.ServiceUrl,
        };

        await using var rotationRuntime = FakeRuntimeApi.Start();
        using var rotation = StartBootstrap(rotationRuntime, "key-rotation", extra: tokenSettings);
        string keyArn;
        try
        {
            var created = await rotationRuntime.WaitForResultAsync(rotationRuntime.Enqueue(
                """{"RequestType":"Create","ServiceToken":"arn:aws:lambda:us-east-1:123456789012:function:x","ResourceProperties":{}}"""u8
                    .ToArray()));
            Assert.True(created.Kind == "response", Encoding.UTF8.GetString(created.Body));
            keyArn = JsonDocument.Parse(created.Body).RootElement.GetProperty("Data").GetProperty("KeyArn").GetString()!;
            Assert.Contains(":public-key/", keyArn, StringComparison.Ordinal);
            Assert.NotNull(ssm.Value("/ivs-serverless/test/token-signing-key"));
        }
        finally
        {
            Stop(rotation);
        }

        await using var apiRuntime = FakeRuntimeApi.Start();
        using var api = StartBootstrap(apiRuntime, "api", extra: tokenSettings);
        try
        {
            var created = await apiRuntime.WaitForResultAsync(
                apiRuntime.Enqueue(HttpEvent("POST", "/stages", "owner-1", """{"name":"self-signed","visibility":"public"}""")));
            var stageId = JsonDocument.Parse(
                JsonDocument.Parse(created.Body).RootElement.GetProperty("body").GetString()!).RootElement.GetProperty(
                "stageId").GetString()!;
            var minted = await apiRuntime.WaitForResultAsync(apiRuntime.Enqueue(TokenEvent(stageId, "owner-1")));
            var response = JsonDocument.Parse(minted.Body).RootElement;
            Assert.True(response.GetProperty("statusCode").GetInt32() == 201, Encoding.UTF8.GetString(minted.Body));
            var token = JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement.GetProperty("token").GetString()!;
            var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0])).RootElement;
            Assert.Equal(keyArn, header.GetProperty("kid").GetString());

            using var http = new HttpClient { BaseAddress = _ivs.BaseAddress };
            using var join = await http.PostAsync(
                "/_sim/join", new StringContent(JsonSerializer.Serialize(new { token }), Encoding.UTF8, "application/json"));
            Assert.True(join.IsSuccessStatusCode, await join.Content.ReadAsStringAsync());
        }
        finally
        {
            Stop(api);
        }

        Assert.Contains(ssm.Requests, r => r.Target == "AmazonSSM.GetParameter" && r.Json.GetProperty("WithDecryption").GetBoolean());
    }

    private static byte[] TokenEvent(string stageId, string sub) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
    {
        ["version"] = "2.0",
        ["routeKey"] = "POST /stages/{stageId}/participant-tokens",
        ["rawPath"] = $"/stages/{stageId}/participant-tokens",
        ["rawQueryString"] = "",
        ["headers"] = new Dictionary<string, string>(),
        ["pathParameters"] = new Dictionary<string, string> { ["stageId"] = stageId },
        ["requestContext"] = new Dictionary<string, object>
        {
            ["requestId"] = Guid.NewGuid().ToString(),
            ["http"] = new Dictionary<string, string> { ["method"] = "POST", ["path"] = $"/stages/{stageId}/participant-tokens" },
            ["authorizer"] = new Dictionary<string, object>
            {
                ["jwt"] = new Dictionary<string, object> { ["claims"] = new Dictionary<string, string> { ["sub"] = sub } }
            },
        },
        ["isBase64Encoded"] = false,
    });

    private Process StartBootstrap(
        FakeRuntimeApi runtime, string handler, bool withoutTable = false, Dictionary<string, string>? extra = null)
    {
        var native = Environment.GetEnvironmentVariable("BOOTSTRAP_EXECUTABLE");
        var start = new ProcessStartInfo(
            native ?? "dotnet", native is null ? [Path.Combine(AppContext.BaseDirectory, "bootstrap.dll")] : [])
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
        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }

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
            ["pathParameters"] = path.StartsWith("/stages/", StringComparison.Ordinal) ? new Dictionary<string, string>
            {
                ["stageId"] = path["/stages/".Length..]
            } : null,
            ["requestContext"] = new Dictionary<string, object>
            {
                ["requestId"] = Guid.NewGuid().ToString(),
                ["http"] = new Dictionary<string, string> { ["method"] = method, ["path"] = path },
                ["authorizer"] = new Dictionary<string, object>
                {
                    ["jwt"] = new Dictionary<string, object> { ["claims"] = new Dictionary<string, string> { ["sub"] = sub } }
                },
            },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        };
        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }
}
