using System.Text.Json;

namespace IvsServerless.Lambda.Runtime.Tests;

public sealed class LambdaLoggerTests
{
    [Theory]
    [InlineData("TRACE", LambdaLogLevel.Trace)]
    [InlineData("debug", LambdaLogLevel.Debug)]
    [InlineData("INFO", LambdaLogLevel.Information)]
    [InlineData("Warn", LambdaLogLevel.Warning)]
    [InlineData("WARNING", LambdaLogLevel.Warning)]
    [InlineData("ERROR", LambdaLogLevel.Error)]
    [InlineData("FATAL", LambdaLogLevel.Critical)]
    [InlineData("Critical", LambdaLogLevel.Critical)]
    [InlineData("verbose", LambdaLogLevel.Information)]
    [InlineData(null, LambdaLogLevel.Information)]
    public void Parses_lambda_log_level_names(string? value, LambdaLogLevel expected) =>
        Assert.Equal(expected, LambdaLogLevels.Parse(value));

    [Fact]
    public void Writes_one_json_object_per_line_with_typed_properties_and_no_reserved_overrides()
    {
        using var output = new CapturedLogStream();
        ILambdaLogger logger = new LambdaJsonLogger(output, LambdaLogLevel.Debug);

        logger.Log(LambdaLogLevel.Debug, "line1\nline2 \"quoted\" </script>",
            KeyValuePair.Create<string, object?>("count", 3),
            KeyValuePair.Create<string, object?>("ok", true),
            KeyValuePair.Create<string, object?>("missing", null),
            KeyValuePair.Create<string, object?>("elapsed", TimeSpan.FromSeconds(1.5)),
            KeyValuePair.Create<string, object?>("level", "spoofed"),
            KeyValuePair.Create<string, object?>("requestId", "spoofed"));

        Assert.Contains("\"line1\\nline2 \\\"quoted\\\" </script>\"", Assert.Single(output.Lines), StringComparison.Ordinal);
        var entry = Assert.Single(output.Entries);
        Assert.Equal("DEBUG", entry.GetProperty("level").GetString());
        Assert.Equal("line1\nline2 \"quoted\" </script>", entry.GetProperty("message").GetString());
        Assert.Equal(3, entry.GetProperty("count").GetInt32());
        Assert.True(entry.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("missing").ValueKind);
        Assert.Equal("00:00:01.5000000", entry.GetProperty("elapsed").GetString());
        Assert.False(entry.TryGetProperty("requestId", out _));
        Assert.Equal(1, entry.EnumerateObject().Count(p => p.Name == "level"));
    }

    [Fact]
    public void Stamps_entries_with_the_current_invocation_and_clears_them_afterwards()
    {
        using var output = new CapturedLogStream();
        var time = new FixedTimeProvider(new DateTimeOffset(2025, 3, 4, 5, 6, 7, 89, TimeSpan.Zero));
        var logger = new LambdaJsonLogger(output, timeProvider: time);

        logger.SetInvocation("req-1", "Root=1-abc");
        ((ILambdaLogger)logger).LogInformation("during");
        logger.SetInvocation(null, null);
        ((ILambdaLogger)logger).LogInformation("after");

        var entries = output.Entries;
        Assert.Equal("2025-03-04T05:06:07.089Z", entries[0].GetProperty("timestamp").GetString());
        Assert.Equal("req-1", entries[0].GetProperty("requestId").GetString());
        Assert.Equal("Root=1-abc", entries[0].GetProperty("traceId").GetString());
        Assert.False(entries[1].TryGetProperty("requestId", out _));
        Assert.False(entries[1].TryGetProperty("traceId", out _));
    }

    [Fact]
    public void Options_from_environment_read_the_lambda_variables()
    {
        var variables = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001",
            ["_HANDLER"] = "stages",
            ["AWS_LAMBDA_FUNCTION_NAME"] = "ivs-stages",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "12",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/ivs-stages",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = "stream",
            ["AWS_LAMBDA_LOG_LEVEL"] = "DEBUG",
        };
        var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var options = LambdaRuntimeOptions.FromEnvironment();

            Assert.Equal("127.0.0.1:9001", options.RuntimeApi);
            Assert.Equal("stages", options.Handler);
            Assert.Equal("ivs-stages", options.FunctionName);
            Assert.Equal("12", options.FunctionVersion);
            Assert.Equal(1024, options.MemoryLimitInMB);
            Assert.Equal("/aws/lambda/ivs-stages", options.LogGroupName);
            Assert.Equal("stream", options.LogStreamName);
            Assert.Equal(LambdaLogLevel.Debug, options.MinimumLogLevel);

            Environment.SetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL", null);
            Assert.Equal(LambdaLogLevel.Information, LambdaRuntimeOptions.FromEnvironment().MinimumLogLevel);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}

internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
