using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IvsServerless.Api.HttpApi;

public static class Results
{
    public static APIGatewayHttpApiV2ProxyResponse Json<T>(int status, T value, JsonTypeInfo<T> typeInfo) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["content-type"] = "application/json" },
        Body = JsonSerializer.Serialize(value, typeInfo),
    };

    /// <summary>A text body (e.g. an HLS playlist) that caches must not keep: it holds presigned URLs.</summary>
    public static APIGatewayHttpApiV2ProxyResponse Text(int status, string body, string contentType) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["content-type"] = contentType,
            ["cache-control"] = "no-store",
        },
        Body = body,
    };

    public static APIGatewayHttpApiV2ProxyResponse NoContent() => new() { StatusCode = 204 };
}
