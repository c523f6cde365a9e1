using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using IvsServerless.Core.TokenSigning;
using IvsServerless.Infrastructure.TokenSigning;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>
/// SSM has no local engine: the adapter talks to a stub HTTP server, and the tests check the wire requests the AWS
/// SDK sends (JSON 1.1 protocol, X-Amz-Target) and how answers and errors come back.
/// </summary>
public sealed class SsmTokenSigningKeyStoreTests
{
    private const string Parameter = "/ivs-serverless/tests/token-signing-key";
    private const string KmsKey = "alias/ivs-serverless-tests";
    private const string KeyArn = "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234";

    [Fact]
    public async Task Put_writes_a_KMS_encrypted_SecureString_with_overwrite_and_get_decrypts_it_back()
    {
        await using var ssm = await StubSsm.StartAsync();
        var store = ssm.Store(KmsKey);
        var pkcs8 = GeneratedSigningKeyPair.Create().Pkcs8PrivateKey;
        var activatedAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        ssm.Respond(200, """{"Version":2,"Tier":"Standard"}""");
        await store.PutAsync(new TokenSigningKey(KeyArn, pkcs8, activatedAt), CancellationToken.None);

        var put = await ssm.NextRequestAsync();
        Assert.Equal("AmazonSSM.PutParameter", put.Target);
        Assert.Equal("application/x-amz-json-1.1", put.ContentType);
        var body = put.Json;
        Assert.Equal(Parameter, body.GetProperty("Name").GetString());
        Assert.Equal("SecureString", body.GetProperty("Type").GetString());
        Assert.Equal(KmsKey, body.GetProperty("KeyId").GetString());
        Assert.True(body.GetProperty("Overwrite").GetBoolean());
        Assert.StartsWith("AWS4-HMAC-SHA256", put.Authorization, StringComparison.Ordinal);
        var stored = body.GetProperty("Value").GetString()!;

        ssm.Respond(200, JsonSerializer.Serialize(new { Parameter = new { Name = Parameter, Type = "SecureString", Value = stored, Version = 2 } }));
        var read = await store.GetAsync(CancellationToken.None);

        var get = await ssm.NextRequestAsync();
        Assert.Equal("AmazonSSM.GetParameter", get.Target);
        Assert.Equal(Parameter, get.Json.GetProperty("Name").GetString());
        Assert.True(get.Json.GetProperty("WithDecryption").GetBoolean());
        Assert.Equal(KeyArn, read!.KeyArn);
        Assert.Equal(activatedAt, read.ActivatedAt);
        Assert.True(read.Pkcs8PrivateKey.SequenceEqual(pkcs8));
    }

    [Fact]
    public async Task Missing_parameter_reads_as_no_key_and_deletes_as_done()
    {
        await using var ssm = await StubSsm.StartAsync();
        var store = ssm.Store(KmsKey);

        ssm.Respond(400, """{"__type":"ParameterNotFound","message":"not found"}""", "ParameterNotFound");
        Assert.Null(await store.GetAsync(CancellationToken.None));

        ssm.Respond(400, """{"__type":"ParameterNotFound","message":"not found"}""", "ParameterNotFound");
        await store.DeleteAsync(CancellationToken.None);
        var delete = (await ssm.NextRequestAsync(), await ssm.NextRequestAsync()).Item2;
        Assert.Equal("AmazonSSM.DeleteParameter", delete.Target);
        Assert.Equal(Parameter, delete.Json.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task A_value_that_is_not_a_key_document_fails_without_quoting_the_value()
    {
        await using var ssm = await StubSsm.StartAsync();
        var store = ssm.Store(KmsKey);
        const string Secret = "c2VjcmV0LWJ5dGVzLXRoYXQtbXVzdC1ub3QtbGVhaw==";

        ssm.Respond(200, JsonSerializer.Serialize(new { Parameter = new { Name = Parameter, Value = "{\"keyArn\":\"x\",\"privateKey\":\"" + Secret + "!\"}" } }));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync(CancellationToken.None));

        Assert.Contains(Parameter, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_without_a_KMS_key_is_refused_before_any_call()
    {
        await using var ssm = await StubSsm.StartAsync();
        var store = ssm.Store(kmsKeyId: null);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.PutAsync(new TokenSigningKey(KeyArn, GeneratedSigningKeyPair.Create().Pkcs8PrivateKey, DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.Equal(0, ssm.RequestCount);
    }

    private sealed record RecordedRequest(string? Target, string? ContentType, string? Authorization, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    /// <summary>An HTTP listener on 127.0.0.1 answering queued responses in order and recording each request.</summary>
    private sealed class StubSsm : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly Channel<RecordedRequest> _requests = Channel.CreateUnbounded<RecordedRequest>();
        private readonly Queue<(int Status, string Body, string? ErrorType)> _responses = new();
        private readonly Task _serving;
        private int _count;

        private StubSsm(HttpListener listener, int port)
        {
            _listener = listener;
            Url = $"http://127.0.0.1:{port}/";
            _serving = ServeAsync();
        }

        public string Url { get; }

        public int RequestCount => Volatile.Read(ref _count);

        public static Task<StubSsm> StartAsync()
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
                    return Task.FromResult(new StubSsm(listener, port));
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    listener.Close();
                }
            }
        }

        public SsmTokenSigningKeyStore Store(string? kmsKeyId)
        {
            var client = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
                new AmazonSimpleSystemsManagementConfig { ServiceURL = Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
            return new SsmTokenSigningKeyStore(client, new SsmTokenSigningKeyOptions { ParameterName = Parameter, KmsKeyId = kmsKeyId });
        }

        public void Respond(int status, string body, string? errorType = null)
        {
            lock (_responses)
            {
                _responses.Enqueue((status, body, errorType));
            }
        }

        public async Task<RecordedRequest> NextRequestAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await _requests.Reader.ReadAsync(deadline.Token);
        }

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

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Interlocked.Increment(ref _count);
                await _requests.Writer.WriteAsync(new RecordedRequest(context.Request.Headers["X-Amz-Target"], context.Request.ContentType,
                    context.Request.Headers["Authorization"], body));

                (int Status, string Body, string? ErrorType) response;
                lock (_responses)
                {
                    response = _responses.Count > 0 ? _responses.Dequeue() : (500, """{"__type":"InternalServerError"}""", "InternalServerError");
                }

                context.Response.StatusCode = response.Status;
                context.Response.ContentType = "application/x-amz-json-1.1";
                context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                if (response.ErrorType is not null)
                {
                    context.Response.Headers["x-amzn-ErrorType"] = response.ErrorType;
                }

                var bytes = Encoding.UTF8.GetBytes(response.Body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }
    }
}
