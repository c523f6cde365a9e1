using IvsServerless.Api.Errors;

namespace IvsServerless.Api.HttpApi;

/// <summary>
/// Every body this API reads is JSON, so a request that carries a body must say so: <c>application/json</c> or a
/// structured <c>application/*+json</c> type, with an optional <c>charset</c> that must be UTF-8 (RFC 8259). A body
/// with any other Content-Type, or none, is 415 before any route runs; requests without a body are not affected.
/// </summary>
public static class JsonContentType
{
    public static void EnsureJsonBody(APIGatewayHttpApiV2ProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Body))
        {
            return;
        }

        if (!IsJson(ApiCall.HeaderOf(request, "content-type")))
        {
            throw new UnsupportedMediaTypeException();
        }
    }

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var parts = contentType.Split(';');
        var mediaType = parts[0].Trim();
        var isJson = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
                && mediaType.Length > "application/+json".Length
                && !mediaType.Contains(' ', StringComparison.Ordinal)
                && mediaType.IndexOf('/', StringComparison.Ordinal) == mediaType.LastIndexOf('/'));
        if (!isJson)
        {
            return false;
        }

        foreach (var parameter in parts.Skip(1))
        {
            var pair = parameter.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                var charset = pair[1].Trim().Trim('"');
                if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                    && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
