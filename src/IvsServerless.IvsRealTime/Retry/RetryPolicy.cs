namespace IvsServerless.IvsRealTime;

/// <summary>Which failures are worth another attempt, and how long to wait before it.</summary>
internal static class RetryPolicy
{
    public static bool IsRetryable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        ThrottlingException => true,

        // 5xx is a server fault whatever the error type says; 4xx will fail the same way again.
        IvsRealTimeException error => (int)error.StatusCode >= 500,

        // Connection refused/reset, DNS or TLS failures, a truncated response.
        HttpRequestException or IOException => true,

        // HttpClient.Timeout surfaces as a cancellation the caller did not ask for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,

        _ => false,
    };

    /// <summary>
    /// Exponential backoff with full jitter: uniform in [0, min(maxDelay, baseDelay * 2^(attempt-1))), so
    /// callers throttled together spread out instead of retrying in lockstep.
    /// </summary>
    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="random">A uniform sample in [0, 1).</param>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var ceiling = Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62)));
        return TimeSpan.FromTicks((long)(ceiling * random));
    }
}
