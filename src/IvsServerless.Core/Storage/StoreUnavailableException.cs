namespace IvsServerless.Core.Storage;

/// <summary>
/// The table could not serve the request even after the client's own retries: throttled (provisioned throughput,
/// request limit) or the service failed (5xx). Adapters throw this instead of their SDK's exceptions, so callers
/// can answer "try again shortly" without knowing which store is below.
/// </summary>
public sealed class StoreUnavailableException(string message, string errorCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The store's own error code (e.g. <c>ProvisionedThroughputExceededException</c>), for logs.</summary>
    public string ErrorCode { get; } = errorCode;
}
