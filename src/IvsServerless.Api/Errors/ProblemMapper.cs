using System.Net.Sockets;
using System.Text.Json;
using IvsServerless.Api.HttpApi;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Quotas;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Storage;
using IvsServerless.Core.TokenSigning;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Api.Errors;

/// <summary>
/// The one place exceptions become HTTP answers. Bodies carry our own words only — never an exception
/// message from below, a type name or a stack trace; those go to the function log with the request id.
/// </summary>
public static class ProblemMapper
{
    public const string ContentType = "application/problem+json";
    public const string TypePrefix = "https://ivs-serverless.dev/problems/";
    public const int ThrottledRetryAfterSeconds = 1;

    /// <summary>The table is throttling or failing even after the SDK's retries: give it a little longer than IVS.</summary>
    public const int StoreUnavailableRetryAfterSeconds = 2;

    public static APIGatewayHttpApiV2ProxyResponse ToResponse(Exception exception, string? requestId, ILambdaLogger logger)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(logger);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var problem = exception switch
        {
            RequestValidationException e => Make(e.Status, e.Code, e.Title, e.Message, requestId, e.Errors),
            ApiException e => Make(e.Status, e.Code, e.Title, e.Message, requestId),
            InvalidCursorException => Make(400, "invalid-cursor", "Bad Request", "The cursor is not valid.", requestId,
                new Dictionary<string, string[]> { ["cursor"] = ["Use the nextCursor of a previous page."] }),
            StageConflictException => Make(409, "conflict", "Conflict", "The stage was changed concurrently; retry.", requestId),
            UserQuotaExceededException e => Make(409, "quota-exceeded", "Conflict",
                $"You have reached the limit of {e.Limit} {e.Quota} per user; end or delete one first.", requestId),
            UserRateLimitedException e => RateLimited(e, headers, requestId),
            IvsThrottledException => Throttled(headers, requestId),
            StoreUnavailableException => StoreUnavailable(headers, requestId),
            StoreUnreachableException =>
                Make(502, "upstream-unreachable", "Bad Gateway", "Our data store could not be reached; try again.", requestId),
            TokenSigningUnavailableException =>
                Make(
                503, "token-signing-unavailable", "Service Unavailable", "Participant tokens cannot be signed right now; try again later.",
                requestId),
            IvsQuotaExceededException =>
                Make(503, "service-quota-exceeded", "Service Unavailable", "A video service quota is exhausted; try again later.",
                    requestId),
            IvsResourceNotFoundException => Make(404, "not-found", "Not Found", "The resource does not exist.", requestId),
            IvsServiceException => Make(502, "upstream-error", "Bad Gateway", "The video service failed; try again.", requestId),
            HttpRequestException or SocketException or IOException =>
                Make(502, "upstream-unreachable", "Bad Gateway", "The video service could not be reached; try again.", requestId),
            OperationCanceledException or TimeoutException =>
                Make(503, "timeout", "Service Unavailable", "The request ran out of time; try again.", requestId),
            _ => Make(500, "internal-error", "Internal Server Error", "Something went wrong on our side.", requestId),
        };

        // The runtime stamps the Lambda request id on every line; the API Gateway one is what the app saw.
        if (problem.Status >= 500)
        {
            logger.Log(LambdaLogLevel.Error, "Request failed",
                new("apiRequestId", requestId),
                new("status", problem.Status),
                new("errorType", exception.GetType().FullName),
                new("errorMessage", exception.Message),
                new("stackTrace", exception.StackTrace));
        }

        return Write(problem, headers);
    }

    public static APIGatewayHttpApiV2ProxyResponse Write(Problem problem, Dictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        headers ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        headers["content-type"] = ContentType;
        return new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = problem.Status,
            Headers = headers,
            Body = JsonSerializer.Serialize(problem, ApiJsonContext.Default.Problem),
        };
    }

    public static Problem Make(int status, string code, string title, string detail, string? requestId,
        IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(TypePrefix + code, title, status, detail, requestId, code, status == 400 ? errors ?? new Dictionary<string, string[]>() : null);

    private static Problem StoreUnavailable(Dictionary<string, string> headers, string? requestId)
    {
        headers["retry-after"] = StoreUnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Make(503, "store-unavailable", "Service Unavailable", "Our data store is busy or failing; retry after a moment.", requestId);
    }

    private static Problem RateLimited(UserRateLimitedException e, Dictionary<string, string> headers, string? requestId)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(e.RetryAfter.TotalSeconds));
        headers["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Make(429, "rate-limited", "Too Many Requests",
            $"You have reached the limit of {e.Limit} {e.Rate} per minute; retry after {seconds} s.", requestId);
    }

    private static Problem Throttled(Dictionary<string, string> headers, string? requestId)
    {
        headers["retry-after"] = ThrottledRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Make(429, "throttled", "Too Many Requests", "Too many requests to the video service; retry after a moment.", requestId);
    }
}
