namespace IvsServerless.Core.Ivs;

/// <summary>
/// IVS refused a call made through one of the IVS ports. The adapter translates the service's modeled errors into
/// this type or the subclasses below, so services and the API's problem mapping never see the client's own types.
/// Network failures (<see cref="HttpRequestException"/>, <see cref="IOException"/>) and cancellation are not IVS
/// answers: they cross the ports unchanged.
/// </summary>
/// <param name="errorCode">The error name IVS sent (e.g. <c>AccessDeniedException</c>), or "Unknown"; for logs.</param>
/// <param name="requestId">The IVS request id of the failed call, if any; for logs and AWS support.</param>
public class IvsServiceException(string message, string errorCode = "Unknown", string? requestId = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string ErrorCode { get; } = errorCode;

    public string? RequestId { get; } = requestId;
}

/// <summary>The stage, participant, composition or key does not exist (IVS <c>ResourceNotFoundException</c>).</summary>
public sealed class IvsResourceNotFoundException(string message, string errorCode = "ResourceNotFoundException", string? requestId = null,
    Exception? innerException = null) : IvsServiceException(message, errorCode, requestId, innerException);

/// <summary>IVS is throttling this account, after the client's own retries (IVS <c>ThrottlingException</c> or HTTP 429).</summary>
public sealed class IvsThrottledException(string message, string errorCode = "ThrottlingException", string? requestId = null,
    Exception? innerException = null) : IvsServiceException(message, errorCode, requestId, innerException);

/// <summary>A service quota is exhausted (IVS <c>ServiceQuotaExceededException</c>).</summary>
public sealed class IvsQuotaExceededException(string message, string errorCode = "ServiceQuotaExceededException", string? requestId = null,
    Exception? innerException = null) : IvsServiceException(message, errorCode, requestId, innerException);

/// <summary>IVS rejected the input, e.g. an expired page token (IVS <c>ValidationException</c>).</summary>
public sealed class IvsInvalidRequestException(string message, string errorCode = "ValidationException", string? requestId = null,
    Exception? innerException = null) : IvsServiceException(message, errorCode, requestId, innerException);

/// <summary>The change clashes with the resource's current state (IVS <c>ConflictException</c>).</summary>
public sealed class IvsConflictException(string message, string errorCode = "ConflictException", string? requestId = null,
    Exception? innerException = null) : IvsServiceException(message, errorCode, requestId, innerException);
