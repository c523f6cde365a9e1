using System.Net;

namespace IvsServerless.IvsRealTime;

// The modeled IVS Real-Time errors. Each keeps the standard exception constructors so it behaves like any
// other .NET exception; the client always uses the four-argument one.

/// <summary>The input fails a constraint (HTTP 400).</summary>
public sealed class ValidationException : IvsRealTimeException
{
    public ValidationException()
    {
    }

    public ValidationException(string message)
        : base(message)
    {
    }

    public ValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ValidationException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message, errorType, statusCode, requestId)
    {
    }
}

/// <summary>The request would exceed a service quota (HTTP 402).</summary>
public sealed class ServiceQuotaExceededException : IvsRealTimeException
{
    public ServiceQuotaExceededException()
    {
    }

    public ServiceQuotaExceededException(string message)
        : base(message)
    {
    }

    public ServiceQuotaExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServiceQuotaExceededException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message, errorType, statusCode, requestId)
    {
    }
}

/// <summary>The caller is not authorized (HTTP 403).</summary>
public sealed class AccessDeniedException : IvsRealTimeException
{
    public AccessDeniedException()
    {
    }

    public AccessDeniedException(string message)
        : base(message)
    {
    }

    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AccessDeniedException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message, errorType, statusCode, requestId)
    {
    }
}

/// <summary>The account is pending verification (HTTP 403, wire name "PendingVerification").</summary>
public sealed class PendingVerificationException : IvsRealTimeException
{
    public PendingVerificationException()
    {
    }

    public PendingVerificationException(string message)
        : base(message)
    {
    }

    public PendingVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PendingVerificationException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message, errorType, statusCode, requestId)
    {
    }
}

/// <summary>A referenced resource does not exist (HTTP 404).</summary>
public sealed class ResourceNotFoundException : IvsRealTimeException
{
    public ResourceNotFoundException()
    {
    }

    public ResourceNotFoundException(string message)
        : base(message)
    {
    }

    public ResourceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResourceNotFoundException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message, errorType, statusCode, requestId)
    {
    }
}

/// <summary>The change would leave an inconsistent state, e.g. deleting a configuration in use (HTTP 409).</summary>
public sealed class ConflictException : IvsRealTimeException
{
    public ConflictException()
    {
    }

    public ConflictException(string message)
        : base(message)
    {
    }

    public ConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConflictException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message, errorType, statusCode, requestId)
    {
    }
}

/// <summary>IVS failed unexpectedly (HTTP 500); retried by the client.</summary>
public sealed class InternalServerException : IvsRealTimeException
{
    public InternalServerException()
    {
    }

    public InternalServerException(string message)
        : base(message)
    {
    }

    public InternalServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InternalServerException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message, errorType, statusCode, requestId)
    {
    }
}

/// <summary>IVS is throttling the caller (HTTP 429 or a throttling error type); retried by the client.</summary>
public sealed class ThrottlingException : IvsRealTimeException
{
    public ThrottlingException()
    {
    }

    public ThrottlingException(string message)
        : base(message)
    {
    }

    public ThrottlingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ThrottlingException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message, errorType, statusCode, requestId)
    {
    }
}
