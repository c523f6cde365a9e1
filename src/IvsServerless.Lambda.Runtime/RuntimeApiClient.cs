using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IvsServerless.Lambda.Runtime;

internal sealed record Invocation(string RequestId, long? DeadlineMs, string? InvokedFunctionArn, string? TraceId, byte[] Payload);

/// <summary>The four calls of the Lambda Runtime API 2018-06-01: next, response, error, init error.</summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

    public RuntimeApiClient(string runtimeApi)
    {
        // The Runtime API is a local endpoint: never route it through HTTP_PROXY, and never time out
        // /next, which blocks until the next event arrives (the AWS docs say not to set a timeout on it).
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/runtime/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<Invocation> NextAsync(CancellationToken ct)
    {
        using var response = await _http.GetAsync("invocation/next", ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException(
                $"Runtime API answered {(int)response.StatusCode} to invocation/next.", null, response.StatusCode);
        }

        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id");
        if (string.IsNullOrEmpty(requestId))
        {
            throw new HttpRequestException("Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.");
        }

        long? deadlineMs = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None,
            CultureInfo.InvariantCulture, out var ms) ? ms : null;
        var payload = await response.Content.ReadAsByteArrayAsync(ct);
        return new Invocation(requestId, deadlineMs, Header(headers, "Lambda-Runtime-Invoked-Function-Arn"),
            Header(headers, "Lambda-Runtime-Trace-Id"), payload);
    }

    public async Task<HttpStatusCode> PostResponseAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        using var content = new ReadOnlyMemoryContent(body);
        using var response = await _http.PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", content, ct);
        return response.StatusCode;
    }

    public Task<HttpStatusCode> PostErrorAsync(string requestId, string errorType, string errorMessage, CancellationToken ct) =>
        PostErrorRequestAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", errorType, errorMessage, ct);

    public Task<HttpStatusCode> PostInitErrorAsync(string errorType, string errorMessage, CancellationToken ct) =>
        PostErrorRequestAsync("init/error", errorType, errorMessage, ct);

    public void Dispose() => _http.Dispose();

    private async Task<HttpStatusCode> PostErrorRequestAsync(string path, string errorType, string errorMessage, CancellationToken ct)
    {
        using var content = new ByteArrayContent(ErrorBody(errorType, errorMessage));
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        using var response = await _http.SendAsync(request, ct);
        return response.StatusCode;
    }

    /// <summary>
    /// The Runtime API's ErrorRequest shape. The stack trace stays empty: this body can reach the
    /// invoker, so internals go to the function's log instead.
    /// </summary>
    internal static byte[] ErrorBody(string errorType, string errorMessage)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
            writer.WriteStartArray("stackTrace");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
