using System.Net;
using System.Text;

namespace IvsServerless.IvsRealTime.Tests;

/// <summary>What the client put on the wire, captured before the message is disposed.</summary>
internal sealed record RecordedRequest(
    HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string[]> Headers, string? ContentType, string? Body)
{
    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>An in-memory IVS: records each request and answers from a script, one step per request.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();

    public List<RecordedRequest> Requests { get; } = [];

    public RecordingHandler Respond(HttpStatusCode status, string? body = "{}", params (string Name, string Value)[] headers)
    {
        _script.Enqueue((_, _) =>
        {
            var response = new HttpResponseMessage(status);
            if (body is not null)
            {
                response.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-" + Requests.Count);
            foreach (var (name, value) in headers)
            {
                response.Headers.Remove(name);
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return Task.FromResult(response);
        });
        return this;
    }

    public RecordingHandler Respond(string body) => Respond(HttpStatusCode.OK, body);

    public RecordingHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
    {
        _script.Enqueue(step);
        return this;
    }

    public RecordingHandler Throw(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.NonValidated.ToDictionary(
            h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(
            new RecordedRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.ToString(), body));

        if (!_script.TryDequeue(out var step))
        {
            throw new InvalidOperationException($"Unexpected request #{Requests.Count}: {request.Method} {request.RequestUri}");
        }

        return await step(request, cancellationToken);
    }
}
