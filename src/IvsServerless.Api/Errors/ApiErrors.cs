namespace IvsServerless.Api.Errors;

/// <summary>
/// A refusal the caller can act on. Services throw these; <see cref="ProblemMapper"/> is the one place that
/// turns them (and every other exception) into problem+json. <see cref="Code"/> is stable: apps switch on it.
/// </summary>
public abstract class ApiException(int status, string code, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Title { get; } = title;
}

/// <summary>400: the request is malformed or breaks a rule; <see cref="Errors"/> names the fields.</summary>
public sealed class RequestValidationException(string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : ApiException(400, code, "Bad Request", detail)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    public static RequestValidationException Field(string field, string message) =>
        new("validation-failed", "The request has invalid fields.", new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>401: no signed-in user (the authorizer passed no usable claims).</summary>
public sealed class UnauthenticatedException()
    : ApiException(401, "unauthenticated", "Unauthorized", "Sign in to call this API.");

/// <summary>403: the caller can see the resource but may not do this to it.</summary>
public sealed class ForbiddenException(string code, string detail)
    : ApiException(403, code, "Forbidden", detail);

/// <summary>404: missing, deleted, or private and not the caller's to know about.</summary>
public sealed class NotFoundException(string code, string detail)
    : ApiException(404, code, "Not Found", detail)
{
    public static NotFoundException Stage() => new("stage-not-found", "The stage does not exist.");
}

/// <summary>409: the change lost a race too often, or clashes with the current state.</summary>
public sealed class StateConflictException(string code, string detail)
    : ApiException(409, code, "Conflict", detail);

/// <summary>413: the body is larger than the API accepts.</summary>
public sealed class PayloadTooLargeException(int maxBytes)
    : ApiException(413, "payload-too-large", "Content Too Large", $"The request body must be at most {maxBytes} bytes.");

/// <summary>502: a service this API depends on failed; the detail says what was and was not done.</summary>
public sealed class UpstreamFailureException(string code, string detail)
    : ApiException(502, code, "Bad Gateway", detail);

/// <summary>503: a feature this deployment has not been configured for.</summary>
public sealed class ServiceUnavailableException(string code, string detail)
    : ApiException(503, code, "Service Unavailable", detail);

/// <summary>415: a request body whose Content-Type is not JSON (or that has none).</summary>
public sealed class UnsupportedMediaTypeException()
    : ApiException(415, "unsupported-media-type", "Unsupported Media Type",
        "A request body must be JSON: Content-Type application/json (or application/*+json), charset utf-8 if given.");
