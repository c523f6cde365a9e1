using System.Globalization;

namespace IvsServerless.Lambda.Runtime;

/// <summary>Settings of the runtime loop; <see cref="FromEnvironment"/> reads the ones Lambda provides.</summary>
public sealed class LambdaRuntimeOptions
{
    /// <summary>Host and port of the Runtime API (<c>AWS_LAMBDA_RUNTIME_API</c>), without scheme.</summary>
    public string? RuntimeApi { get; init; }

    /// <summary>The handler name to select from the registry (<c>_HANDLER</c>).</summary>
    public string? Handler { get; init; }

    public string FunctionName { get; init; } = "";
    public string FunctionVersion { get; init; } = "$LATEST";
    public int MemoryLimitInMB { get; init; }
    public string LogGroupName { get; init; } = "";
    public string LogStreamName { get; init; } = "";

    /// <summary>Entries below this level are dropped (<c>AWS_LAMBDA_LOG_LEVEL</c>, default INFO).</summary>
    public LambdaLogLevel MinimumLogLevel { get; init; } = LambdaLogLevel.Information;

    /// <summary>
    /// How long before the deadline the handler's token is cancelled, leaving time to post a response
    /// before Lambda kills the invocation.
    /// </summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Where log lines go; null means the process's stdout, which Lambda ships to CloudWatch.</summary>
    public Stream? LogOutput { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public static LambdaRuntimeOptions FromEnvironment() => new()
    {
        RuntimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API"),
        Handler = Environment.GetEnvironmentVariable("_HANDLER"),
        FunctionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "",
        FunctionVersion = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST",
        MemoryLimitInMB = int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
            NumberStyles.Integer, CultureInfo.InvariantCulture, out var memory) ? memory : 0,
        LogGroupName = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_GROUP_NAME") ?? "",
        LogStreamName = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_STREAM_NAME") ?? "",
        MinimumLogLevel = LambdaLogLevels.Parse(Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL")),
    };
}
