using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IvsServerless.Testing;

/// <summary>One request the fake Parameter Store received (the operation from <c>X-Amz-Target</c>, the JSON body).</summary>
public sealed record ParameterStoreRequest(string? Target, string? ContentType, string? Authorization, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// An SSM Parameter Store stand-in on 127.0.0.1 (there is no local SSM engine): <c>GetParameter</c>,
/// <c>PutParameter</c> and <c>DeleteParameter</c> over the AWS JSON 1.1 protocol, values kept in memory, every request
/// recorded so tests can check what the AWS SDK sent. No KMS: SecureString values are stored as given.
/// </summary>
public sealed class FakeParameterStore : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ParameterStoreRequest> _requests = new();
    private readonly Task _serving;

    private FakeParameterStore(HttpListener listener, int port)
    {
        _listener = listener;
        ServiceUrl = $"http://127.0.0.1:{port}/";
        _serving = ServeAsync();
    }

    /// <summary>For <c>ServiceURL</c> / <c>SSM_ENDPOINT</c>.</summary>
    public string ServiceUrl { get; }

    public IReadOnlyList<ParameterStoreRequest> Requests => [.. _requests];

    public static FakeParameterStore Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeParameterStore(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public string? Value(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public void Set(string name, string value) => _values[name] = value;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync();
            }

            var request = new ParameterStoreRequest(context.Request.Headers["X-Amz-Target"], context.Request.ContentType,
                context.Request.Headers["Authorization"], body);
            _requests.Enqueue(request);
            var (status, errorType, response) = Handle(request);

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            if (errorType is not null)
            {
                context.Response.Headers["x-amzn-ErrorType"] = errorType;
            }

            var bytes = Encoding.UTF8.GetBytes(response.ToJsonString());
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int Status, string? ErrorType, JsonObject Body) Handle(ParameterStoreRequest request)
    {
        JsonObject input;
        try
        {
            input = JsonNode.Parse(request.Body)!.AsObject();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            return Error("ValidationException", "The request body is not a JSON object.");
        }

        var name = input["Name"]?.GetValue<string>() ?? "";
        switch (request.Target)
        {
            case "AmazonSSM.GetParameter":
                return _values.TryGetValue(name, out var value)
                    ? (
                        200, null, new JsonObject
                        {
                            ["Parameter"] = new JsonObject
                            {
                                ["Name"] = name,
                                ["Type"] = "SecureString",
                                ["Value"] = value,
                                ["Version"] = 1
                            }
                        })
                    : Error("ParameterNotFound", $"Parameter {name} not found.");
            case "AmazonSSM.PutParameter":
                var overwrite = input["Overwrite"]?.GetValue<bool>() ?? false;
                if (!overwrite && _values.ContainsKey(name))
                {
                    return Error("ParameterAlreadyExists", $"Parameter {name} already exists.");
                }

                _values[name] = input["Value"]?.GetValue<string>() ?? "";
                return (200, null, new JsonObject { ["Version"] = 1, ["Tier"] = "Standard" });
            case "AmazonSSM.DeleteParameter":
                return _values.TryRemove(name, out _) ? (200, null, new JsonObject()) : Error(
                    "ParameterNotFound", $"Parameter {name} not found.");
            default:
                return Error("InvalidAction", $"{request.Target} is not supported by the fake Parameter Store.");
        }
    }

    private static (int, string?, JsonObject) Error(string type, string message) =>
        (400, type, new JsonObject { ["__type"] = type, ["message"] = message });
}
