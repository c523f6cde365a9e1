using System.Net;

namespace IvsServerless.IvsRealTime;

/// <summary>
/// IVS Real-Time answered with a non-2xx status. Catch a subclass for a modeled error, or this type for any
/// error (an unmodeled one keeps its wire name in <see cref="ErrorType"/>).
/// </summary>
public class IvsRealTimeException : Exception
{
    public IvsRealTimeException()
        : this("IVS Real-Time request failed.")
    {
    }

    public IvsRealTimeException(string message)
        : this(message, "Unknown", default, null)
    {
    }

    public IvsRealTimeException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorType = "Unknown";
    }

    public IvsRealTimeException(string message, string errorType, HttpStatusCode statusCode, string? requestId)
        : base(message)
    {
        ErrorType = errorType;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    /// <summary>The cleaned error code, e.g. "ResourceNotFoundException", or "Unknown" when IVS sent none.</summary>
    public string ErrorType { get; }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The x-amzn-RequestId of the failed response; quote it to AWS support.</summary>
    public string? RequestId { get; }
}
