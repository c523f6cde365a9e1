using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IvsServerless.IvsRealTime;

/// <summary>Turns a non-2xx IVS Real-Time response into the matching typed exception.</summary>
internal static class ErrorResponseParser
{
    public static IvsRealTimeException ToException(HttpStatusCode status, HttpResponseHeaders headers, ReadOnlySpan<byte> body)
    {
        var (bodyType, bodyMessage) = ReadBody(body);
        var rawType = Header(headers, "x-amzn-ErrorType") ?? bodyType;
        var errorType = rawType is null ? null : CleanErrorType(rawType);
        var requestId = Header(headers, "x-amzn-RequestId") ?? Header(headers, "x-amz-request-id");
        var message = bodyMessage ?? $"IVS Real-Time returned HTTP {(int)status} {errorType ?? "with no error type"}.";
        return Create(errorType, status, message, requestId);
    }

    /// <summary>
    /// Keeps what the SDKs keep: the text before the first ',' and ':' and after '#', so
    /// "com.amazonaws.ivsrealtime#ValidationException" and "ValidationException:http://…" both give "ValidationException".
    /// </summary>
    internal static string CleanErrorType(string raw)
    {
        var value = raw;
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            value = value[..comma];
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            value = value[..colon];
        }

        var hash = value.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            value = value[(hash + 1)..];
        }

        return value.Trim();
    }

    private static IvsRealTimeException Create(string? errorType, HttpStatusCode status, string message, string? requestId)
    {
        var type = errorType ?? "Unknown";

        // Throttling is recognised by status as well as name: front ends answer 429 without IVS's error shape.
        if (status == HttpStatusCode.TooManyRequests
            || type.Contains("Throttl", StringComparison.OrdinalIgnoreCase)
            || type.Contains("TooManyRequests", StringComparison.OrdinalIgnoreCase))
        {
            return new ThrottlingException(message, type, status, requestId);
        }

        // Like the SDKs, trust the error type over the status code when they disagree.
        return type switch
        {
            "ValidationException" => new ValidationException(message, type, status, requestId),
            "ServiceQuotaExceededException" => new ServiceQuotaExceededException(message, type, status, requestId),
            "AccessDeniedException" => new AccessDeniedException(message, type, status, requestId),
            "PendingVerification" or "PendingVerificationException" => new PendingVerificationException(message, type, status, requestId),
            "ResourceNotFoundException" => new ResourceNotFoundException(message, type, status, requestId),
            "ConflictException" => new ConflictException(message, type, status, requestId),
            "InternalServerException" => new InternalServerException(message, type, status, requestId),
            _ => new IvsRealTimeException(message, type, status, requestId),
        };
    }

    private static (string? Type, string? Message) ReadBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? type = null, code = null, exceptionMessage = null, message = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                // Member names as the SDKs read them: "__type" exactly, "code"/"message" in any case.
                if (property.NameEquals("__type"))
                {
                    type = property.Value.GetString();
                }
                else if (property.Name.Equals("code", StringComparison.OrdinalIgnoreCase))
                {
                    code = property.Value.GetString();
                }
                else if (property.NameEquals("exceptionMessage"))
                {
                    exceptionMessage = property.Value.GetString();
                }
                else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                {
                    message = property.Value.GetString();
                }
            }

            return (NullIfEmpty(type) ?? NullIfEmpty(code), NullIfEmpty(exceptionMessage) ?? NullIfEmpty(message));
        }
        catch (JsonException)
        {
            // A proxy or load balancer may answer with HTML or plain text; the status code still classifies it.
            return (null, null);
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? NullIfEmpty(values.FirstOrDefault()) : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
