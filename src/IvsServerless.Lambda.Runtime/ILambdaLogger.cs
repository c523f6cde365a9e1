namespace IvsServerless.Lambda.Runtime;

/// <summary>Levels in the order of Amazon.Lambda.Core's LogLevel.</summary>
public enum LambdaLogLevel
{
    Trace = 0,
    Debug = 1,
    Information = 2,
    Warning = 3,
    Error = 4,
    Critical = 5,
}

/// <summary>
/// Structured logger shaped like Amazon.Lambda.Core's ILambdaLogger (Log, LogLine, LogInformation, ...),
/// plus extra properties. Implementations write one JSON object per line.
/// </summary>
public interface ILambdaLogger
{
    bool IsEnabled(LambdaLogLevel level);

    /// <summary>Writes one entry; properties whose names collide with the standard fields are dropped.</summary>
    void Log(LambdaLogLevel level, string message, params ReadOnlySpan<KeyValuePair<string, object?>> properties);

    /// <summary>
    /// Logs an exception's type, message and stack trace. These go to the function's own log only,
    /// never to the invoker.
    /// </summary>
    void Log(LambdaLogLevel level, Exception exception, string message)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Log(level, message,
            new("errorType", exception.GetType().Name),
            new("errorMessage", exception.Message),
            new("stackTrace", exception.StackTrace));
    }

    void Log(string message) => Log(LambdaLogLevel.Information, message);
    void LogLine(string message) => Log(LambdaLogLevel.Information, message);
    void Log(string level, string message) => Log(LambdaLogLevels.Parse(level), message);
    void LogTrace(string message) => Log(LambdaLogLevel.Trace, message);
    void LogDebug(string message) => Log(LambdaLogLevel.Debug, message);
    void LogInformation(string message) => Log(LambdaLogLevel.Information, message);
    void LogWarning(string message) => Log(LambdaLogLevel.Warning, message);
    void LogError(string message) => Log(LambdaLogLevel.Error, message);
    void LogCritical(string message) => Log(LambdaLogLevel.Critical, message);
}

public static class LambdaLogLevels
{
    /// <summary>
    /// Reads AWS_LAMBDA_LOG_LEVEL spellings (TRACE, DEBUG, INFO, WARN, ERROR, FATAL) and the .NET enum
    /// names, case-insensitively; anything else falls back.
    /// </summary>
    public static LambdaLogLevel Parse(string? value, LambdaLogLevel fallback = LambdaLogLevel.Information) =>
        value?.Trim().ToUpperInvariant() switch
        {
            "TRACE" => LambdaLogLevel.Trace,
            "DEBUG" => LambdaLogLevel.Debug,
            "INFO" or "INFORMATION" => LambdaLogLevel.Information,
            "WARN" or "WARNING" => LambdaLogLevel.Warning,
            "ERROR" => LambdaLogLevel.Error,
            "FATAL" or "CRITICAL" => LambdaLogLevel.Critical,
            _ => fallback,
        };

    /// <summary>The spelling Lambda's own JSON log format uses.</summary>
    public static string ToLambdaName(LambdaLogLevel level) => level switch
    {
        LambdaLogLevel.Trace => "TRACE",
        LambdaLogLevel.Debug => "DEBUG",
        LambdaLogLevel.Information => "INFO",
        LambdaLogLevel.Warning => "WARN",
        LambdaLogLevel.Error => "ERROR",
        _ => "FATAL",
    };
}
