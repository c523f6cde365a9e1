using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IvsServerless.Api.Errors;

namespace IvsServerless.Api.HttpApi;

/// <summary>
/// Reads a request body strictly: size cap, valid JSON, an object, no unknown or duplicate members, right
/// types. Every refusal names the field, so apps can show it next to the input.
/// </summary>
public static class StrictJson
{
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly string[] UnknownField = ["Unknown field."];

    /// <param name="optional">An absent body reads as <c>{}</c>.</param>
    public static T Read<T>(APIGatewayHttpApiV2ProxyRequest request, JsonTypeInfo<T> typeInfo, bool optional)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(typeInfo);
        var bytes = BodyBytes(request);
        if (bytes.Length == 0)
        {
            return optional
                ? JsonSerializer.Deserialize("{}"u8, typeInfo)!
                : throw RequestValidationException.Field("body", "A JSON object is required.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            throw new RequestValidationException("malformed-json", "The request body is not valid JSON.",
                new Dictionary<string, string[]> { ["body"] = ["Not valid JSON."] });
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw RequestValidationException.Field("body", "A JSON object is required.");
            }

            var known = typeInfo.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var unknown = document.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                throw new RequestValidationException("unknown-field", "The request body has fields this API does not know.",
                    unknown.Distinct(StringComparer.Ordinal).ToDictionary(n => n, _ => UnknownField, StringComparer.Ordinal));
            }

            try
            {
                return document.RootElement.Deserialize(typeInfo)
                    ?? throw RequestValidationException.Field("body", "A JSON object is required.");
            }
            catch (JsonException e)
            {
                // The serializer's message names .NET types; keep only the JSON path.
                throw RequestValidationException.Field(FieldOf(e.Path), "The value has the wrong type.");
            }
        }
    }

    private static byte[] BodyBytes(APIGatewayHttpApiV2ProxyRequest request)
    {
        if (string.IsNullOrEmpty(request.Body))
        {
            return [];
        }

        // Check the cheap upper bound first so a huge body is refused before it is decoded.
        if (request.Body.Length > (request.IsBase64Encoded ? (MaxBodyBytes + 2) / 3 * 4 : MaxBodyBytes * 3))
        {
            throw new PayloadTooLargeException(MaxBodyBytes);
        }

        byte[] bytes;
        if (request.IsBase64Encoded)
        {
            try
            {
                bytes = Convert.FromBase64String(request.Body);
            }
            catch (FormatException)
            {
                throw new RequestValidationException("malformed-json", "The request body is not valid base64.",
                    new Dictionary<string, string[]> { ["body"] = ["Not valid base64."] });
            }
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(request.Body);
        }

        return bytes.Length > MaxBodyBytes ? throw new PayloadTooLargeException(MaxBodyBytes) : bytes;
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }
}
