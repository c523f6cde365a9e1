using System.Text;
using System.Text.Json;
using static IvsServerless.Lambda.Runtime.Tests.DelegateHandler;

namespace IvsServerless.Lambda.Runtime.Tests;

public sealed class LambdaRuntimeTests
{
    [Fact]
    public async Task Success_posts_the_handler_bytes_as_the_response()
    {
        await using var harness = RuntimeHarness.Start(new DelegateHandler((payload, _, _) =>
            Task.FromResult(Utf8($"{{\"echo\":{Encoding.UTF8.GetString(payload.Span)}}}"))));

        var id = harness.Api.Enqueue(Encoding.UTF8.GetBytes("{\"stage\":\"ü-1\"}"));
        var result = await harness.Api.WaitForResultAsync(id);

        Assert.Equal("response", result.Kind);
        Assert.Equal("{\"echo\":{\"stage\":\"ü-1\"}}", Encoding.UTF8.GetString(result.Body));
        Assert.Equal(0, await harness.StopAsync());
        Assert.Empty(harness.Api.UnexpectedRequests);
    }

    [Fact]
    public async Task Invocation_headers_reach_the_context_and_the_trace_environment_variable()
    {
        ILambdaContext? seen = null;
        string? traceEnv = null;
        await using var harness = RuntimeHarness.Start(new DelegateHandler((payload, context, _) =>
        {
            (seen, traceEnv) = (context, Environment.GetEnvironmentVariable(LambdaRuntime.TraceIdEnvironmentVariable));
            return Task.FromResult(payload);
        }));
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(3).ToUnixTimeMilliseconds());
        const string arn = "arn:aws:lambda:eu-west-1:123456789012:function:ivs-test:live";
        const string trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";

        var id = harness.Api.Enqueue("{}"u8.ToArray(), "8476a536-e9f4-11e8-9739-2dfe598c3fcd", deadline, arn, trace);
        await harness.Api.WaitForResultAsync(id);

        Assert.NotNull(seen);
        Assert.Equal("8476a536-e9f4-11e8-9739-2dfe598c3fcd", seen.AwsRequestId);
        Assert.Equal(deadline, seen.Deadline);
        Assert.Equal(arn, seen.InvokedFunctionArn);
        Assert.Equal(trace, seen.TraceId);
        Assert.Equal(trace, traceEnv);
        Assert.Equal("ivs-test", seen.FunctionName);
        Assert.Equal("7", seen.FunctionVersion);
        Assert.Equal(512, seen.MemoryLimitInMB);
        Assert.Equal("/aws/lambda/ivs-test", seen.LogGroupName);
        Assert.InRange(seen.RemainingTime, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task An_invocation_without_a_trace_header_clears_the_previous_trace_id()
    {
        var traces = new List<string?>();
        await using var harness = RuntimeHarness.Start(new DelegateHandler((payload, _, _) =>
        {
            traces.Add(Environment.GetEnvironmentVariable(LambdaRuntime.TraceIdEnvironmentVariable));
            return Task.FromResult(payload);
        }));

        await harness.Api.WaitForResultAsync(harness.Api.Enqueue([], traceId: "Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb"));
        await harness.Api.WaitForResultAsync(harness.Api.Enqueue([], traceId: null));

        Assert.Equal(["Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb", null], traces);
    }

    [Fact]
    public async Task The_handler_token_is_cancelled_a_margin_before_the_deadline()
    {
        await using var harness = RuntimeHarness.Start(new DelegateHandler(async (_, context, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                return Utf8("never cancelled");
            }
            catch (OperationCanceledException)
            {
                return Utf8($"cancelled with {context.RemainingTime.TotalMilliseconds:0} ms left");
            }
        }), deadlineMargin: TimeSpan.FromSeconds(3));

        var id = harness.Api.Enqueue([], deadline: DateTimeOffset.UtcNow.AddSeconds(4));
        var result = await harness.Api.WaitForResultAsync(id);

        var text = Encoding.UTF8.GetString(result.Body);
        Assert.StartsWith("cancelled with ", text, StringComparison.Ordinal);
        var leftMs = int.Parse(text.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(leftMs, 1000, 3100);
    }

    [Fact]
    public async Task A_throwing_handler_posts_an_invocation_error_without_a_stack_trace()
    {
        await using var harness = RuntimeHarness.Start(new DelegateHandler((_, _, _) =>
            throw new InvalidOperationException("Stage is full")));

        var result = await harness.Api.WaitForResultAsync(harness.Api.Enqueue("{}"u8.ToArray()));

        Assert.Equal("error", result.Kind);
        Assert.Equal("InvalidOperationException", result.ErrorTypeHeader);
        Assert.StartsWith("application/json", result.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(result.Body);
        Assert.Equal(["errorMessage", "errorType", "stackTrace"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Stage is full", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("stackTrace").GetArrayLength());
    }

    [Fact]
    public async Task The_loop_keeps_serving_after_a_handler_error()
    {
        await using var harness = RuntimeHarness.Start(new DelegateHandler(async (payload, _, _) =>
        {
            await Task.Yield();
            return payload.Span.SequenceEqual("fail"u8) ? throw new FormatException("bad event") : payload;
        }));

        var first = harness.Api.Enqueue("one"u8.ToArray());
        var failing = harness.Api.Enqueue("fail"u8.ToArray());
        var third = harness.Api.Enqueue("three"u8.ToArray());

        Assert.Equal("response", (await harness.Api.WaitForResultAsync(first)).Kind);
        var error = await harness.Api.WaitForResultAsync(failing);
        Assert.Equal(("error", "FormatException"), (error.Kind, error.ErrorTypeHeader));
        var last = await harness.Api.WaitForResultAsync(third);
        Assert.Equal(("response", "three"), (last.Kind, Encoding.UTF8.GetString(last.Body)));
        Assert.Empty(harness.Api.UnexpectedRequests);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("Stages")]
    [InlineData(" stages")]
    [InlineData("")]
    [InlineData(null)]
    public async Task An_unknown_or_malformed_handler_name_posts_an_init_error_listing_the_known_names(string? handler)
    {
        var registry = new LambdaHandlerRegistry()
            .Add("stages", Echo)
            .Add("ivs-events", Echo);
        await using var harness = RuntimeHarness.Start(registry, handler);

        var initError = await harness.Api.WaitForInitErrorAsync();

        Assert.Equal(LambdaRuntime.InitErrorExitCode, await harness.Run.WaitAsync(FakeRuntimeApi.WaitLimit));
        Assert.Equal("Runtime.NoSuchHandler", initError.ErrorTypeHeader);
        using var body = JsonDocument.Parse(initError.Body);
        Assert.Equal("Runtime.NoSuchHandler", body.RootElement.GetProperty("errorType").GetString());
        Assert.Contains(
            "Known handlers: ivs-events, stages.", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, body.RootElement.GetProperty("stackTrace").GetArrayLength());
        Assert.Equal(0, harness.Api.NextCalls);
    }

    [Fact]
    public async Task A_failing_handler_factory_posts_an_init_error_with_the_exception_type()
    {
        var registry = new LambdaHandlerRegistry()
            .Add("stages", () => throw new InvalidOperationException("TABLE_NAME is not set"));
        await using var harness = RuntimeHarness.Start(registry, "stages");

        var initError = await harness.Api.WaitForInitErrorAsync();

        Assert.Equal(LambdaRuntime.InitErrorExitCode, await harness.Run.WaitAsync(FakeRuntimeApi.WaitLimit));
        Assert.Equal("InvalidOperationException", initError.ErrorTypeHeader);
        using var body = JsonDocument.Parse(initError.Body);
        Assert.Equal("TABLE_NAME is not set", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal(0, harness.Api.NextCalls);
    }

    [Fact]
    public async Task Log_lines_are_json_objects_with_request_and_trace_ids()
    {
        await using var harness = RuntimeHarness.Start(new DelegateHandler((payload, context, _) =>
        {
            context.Logger.Log(
                LambdaLogLevel.Information, "participant joined", KeyValuePair.Create<string, object?>(
                "stageArn", "arn:aws:ivs:us-east-1:123456789012:stage/abc"));
            context.Logger.LogWarning("quote \" and\nnewline");
            return Task.FromResult(payload);
        }));

        var id = harness.Api.Enqueue([], traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700");
        await harness.Api.WaitForResultAsync(id);

        var entries = harness.Log.Entries;
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(id, e.GetProperty("requestId").GetString());
            Assert.Equal("Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700", e.GetProperty("traceId").GetString());
            var timestamp = e.GetProperty("timestamp").GetString()!;
            Assert.EndsWith("Z", timestamp, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture).Offset);
        });
        Assert.Equal(
            ("INFO", "participant joined"), (entries[0].GetProperty("level").GetString(), entries[0].GetProperty("message").GetString()));
        Assert.Equal("arn:aws:ivs:us-east-1:123456789012:stage/abc", entries[0].GetProperty("stageArn").GetString());
        Assert.Equal(
            ("WARN", "quote \" and\nnewline"), (
            entries[1].GetProperty("level").GetString(), entries[1].GetProperty("message").GetString()));
    }

    [Fact]
    public async Task The_log_level_filter_drops_entries_below_the_minimum()
    {
        await using var harness = RuntimeHarness.Start(new DelegateHandler((payload, context, _) =>
        {
            context.Logger.LogTrace("t");
            context.Logger.LogDebug("d");
            context.Logger.LogInformation("i");
            context.Logger.LogWarning("w");
            context.Logger.LogError("e");
            context.Logger.LogCritical("c");
            return Task.FromResult(payload);
        }), level: LambdaLogLevel.Warning);

        await harness.Api.WaitForResultAsync(harness.Api.Enqueue([]));

        Assert.Equal(["WARN", "ERROR", "FATAL"], harness.Log.Entries.Select(e => e.GetProperty("level").GetString()));
    }

    [Fact]
    public async Task Payloads_are_not_logged_and_handler_errors_are_logged_with_the_request_id()
    {
        await using var harness = RuntimeHarness.Start(new DelegateHandler((_, _, _) =>
            throw new ArgumentException("bad stage name")));

        var id = harness.Api.Enqueue("{\"token\":\"SECRET-PAYLOAD-MARKER\"}"u8.ToArray());
        await harness.Api.WaitForResultAsync(id);

        Assert.DoesNotContain(harness.Log.Lines, line => line.Contains("SECRET-PAYLOAD-MARKER", StringComparison.Ordinal));
        var error = Assert.Single(harness.Log.Entries);
        Assert.Equal("ERROR", error.GetProperty("level").GetString());
        Assert.Equal(id, error.GetProperty("requestId").GetString());
        Assert.Equal("ArgumentException", error.GetProperty("errorType").GetString());
        Assert.Equal("bad stage name", error.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Cancellation_while_waiting_for_the_next_invocation_stops_the_loop_with_exit_code_zero()
    {
        await using var harness = RuntimeHarness.Start(Echo());
        await harness.Api.WaitForResultAsync(harness.Api.Enqueue([]));

        Assert.Equal(0, await harness.StopAsync());
    }

    [Fact]
    public async Task Running_without_a_runtime_api_address_fails_fast()
    {
        var options = new LambdaRuntimeOptions { Handler = "test", LogOutput = Stream.Null };

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LambdaRuntime.RunAsync(new LambdaHandlerRegistry().Add("test", Echo), options));
    }
}
