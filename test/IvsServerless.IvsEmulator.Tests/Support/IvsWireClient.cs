using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IvsServerless.IvsEmulator.Tests.Support;

/// <summary>A raw restJson1 caller: sends exactly the bytes a test gives, returns status, headers and JSON.</summary>
public sealed class IvsWireClient(Uri baseAddress) : IDisposable
{
    private const string Authorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/ivs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000";

    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    public Uri BaseAddress => baseAddress;

    /// <summary>POST /{operation} with <paramref name="body"/> serialized as JSON.</summary>
    public Task<WireResponse> CallAsync(string operation, object? body = null) =>
        SendRawAsync(HttpMethod.Post, "/" + operation, JsonSerializer.Serialize(body ?? new { }));

    /// <summary>Calls that must succeed: fails the test with the service's message otherwise.</summary>
    public async Task<JsonElement> OkAsync(string operation, object? body = null)
    {
        var response = await CallAsync(operation, body);
        Assert.True(
            response.Status == HttpStatusCode.OK, $"{operation} failed: {(int)response.Status} {response.ErrorType} {response.Text}");
        return response.Json;
    }

    public async Task<WireResponse> SendRawAsync(HttpMethod method, string pathAndQuery, string? body = null, string? region = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.TryAddWithoutValidation(
            "Authorization", region is null ? Authorization : Authorization.Replace("us-east-1", region, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new WireResponse(
            response.StatusCode, text, response.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)),
            response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _http.Dispose();
}

public sealed record WireResponse(HttpStatusCode Status, string Text, IReadOnlyDictionary<string, string> Headers, string? ContentType)
{
    public JsonElement Json => Text.Length == 0 ? default : JsonDocument.Parse(Text).RootElement;

    public string? ErrorType => Headers.GetValueOrDefault("x-amzn-errortype");

    public string? ExceptionMessage => Json.ValueKind == JsonValueKind.Object
        && Json.TryGetProperty("exceptionMessage", out var m) ? m.GetString() : null;

    /// <summary>Asserts the full modeled error shape: status, type header, message, request id.</summary>
    public WireResponse AssertError(HttpStatusCode status, string errorType)
    {
        Assert.True(
            Status == status && ErrorType == errorType, $"expected {(int)status} {errorType}, got {(int)Status} {ErrorType}: {Text}");
        Assert.False(string.IsNullOrEmpty(ExceptionMessage), "exceptionMessage must be present");
        Assert.True(Headers.ContainsKey("x-amzn-requestid"));
        Assert.Equal("application/json", ContentType);
        return this;
    }
}
