namespace IvsServerless.Lambda.Runtime;

/// <summary>
/// Per-invocation information, named as in Amazon.Lambda.Core's ILambdaContext so handlers can
/// move to that package with a using change.
/// </summary>
public interface ILambdaContext
{
    string AwsRequestId { get; }
    string FunctionName { get; }
    string FunctionVersion { get; }
    string InvokedFunctionArn { get; }
    int MemoryLimitInMB { get; }
    string LogGroupName { get; }
    string LogStreamName { get; }

    /// <summary>Time left until <see cref="Deadline"/>, never negative.</summary>
    TimeSpan RemainingTime { get; }

    /// <summary>When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</summary>
    DateTimeOffset Deadline { get; }

    /// <summary>The X-Ray trace header of this invocation, or empty when tracing is off.</summary>
    string TraceId { get; }

    ILambdaLogger Logger { get; }
}

/// <summary>
/// The context the runtime hands to handlers; public so handler tests can build one.
/// </summary>
public sealed class LambdaContext : ILambdaContext
{
    public string AwsRequestId { get; init; } = "";
    public string FunctionName { get; init; } = "";
    public string FunctionVersion { get; init; } = "$LATEST";
    public string InvokedFunctionArn { get; init; } = "";
    public int MemoryLimitInMB { get; init; }
    public string LogGroupName { get; init; } = "";
    public string LogStreamName { get; init; } = "";
    public DateTimeOffset Deadline { get; init; } = DateTimeOffset.MaxValue;
    public string TraceId { get; init; } = "";
    public ILambdaLogger Logger { get; init; } = new LambdaJsonLogger(Stream.Null);
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public TimeSpan RemainingTime
    {
        get
        {
            var remaining = Deadline - TimeProvider.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }
}
