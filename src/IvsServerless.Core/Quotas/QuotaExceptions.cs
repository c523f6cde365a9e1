namespace IvsServerless.Core.Quotas;

/// <summary>A per-user count is at its limit (409 <c>quota-exceeded</c>); <see cref="Limit"/> names it for the caller.</summary>
public sealed class UserQuotaExceededException(string quota, int limit)
    : Exception($"The limit of {limit} {quota} per user is reached.")
{
    public string Quota { get; } = quota;
    public int Limit { get; } = limit;
}

/// <summary>A per-user rate is at its limit (429 <c>rate-limited</c>) until <see cref="RetryAfter"/> has passed.</summary>
public sealed class UserRateLimitedException(string rate, int limit, TimeSpan retryAfter)
    : Exception($"The limit of {limit} {rate} per minute is reached.")
{
    public string Rate { get; } = rate;
    public int Limit { get; } = limit;
    public TimeSpan RetryAfter { get; } = retryAfter;
}
