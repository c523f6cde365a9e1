namespace IvsServerless.IvsEmulator.Protocol;

/// <summary>
/// A modeled IVS error. Thrown anywhere inside an operation; the pipeline turns it into the
/// wire shape (status, <c>x-amzn-ErrorType</c>, <c>exceptionMessage</c>).
/// </summary>
public sealed class IvsException : Exception
{
    public IvsException(string errorType, int statusCode, string message) : base(message)
    {
        ErrorType = errorType;
        StatusCode = statusCode;
    }

    public string ErrorType { get; }
    public int StatusCode { get; }

    public static IvsException Validation(string message) => new("ValidationException", 400, message);
    public static IvsException Serialization(string message) => new("SerializationException", 400, message);
    public static IvsException NotFound(string message) => new("ResourceNotFoundException", 404, message);
    public static IvsException Conflict(string message) => new("ConflictException", 409, message);
    public static IvsException QuotaExceeded(string message) => new("ServiceQuotaExceededException", 402, message);
    public static IvsException AccessDenied(string message) => new("AccessDeniedException", 403, message);
    public static IvsException UnknownOperation(string message) => new("UnknownOperationException", 404, message);
    public static IvsException TooLarge(string message) => new("RequestEntityTooLargeException", 413, message);
    public static IvsException Internal() => new("InternalServerException", 500, "An internal error occurred.");

    public static IvsException StageNotFound(string arn) => NotFound($"Stage {arn} not found");
}
