using System.Text.Json.Serialization;

namespace IvsServerless.Api.HttpApi;

/// <summary>The Lambda event and result envelopes; lenient (API Gateway may add members over time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
public sealed partial class HttpApiJsonContext : JsonSerializerContext;
