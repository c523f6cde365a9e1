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

    public static APIGatewayHttpApiV2ProxyResponse NoContent() => new() { StatusCode = 204 };
}
