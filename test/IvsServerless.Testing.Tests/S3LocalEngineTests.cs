using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using IvsServerless.Local;

namespace IvsServerless.Testing.Tests;

/// <summary>
/// The local S3 server (issue 14): a real S3 protocol server that checks SigV4 signatures and presigned URLs, bound to
/// 127.0.0.1 only, with its buckets made at start.
/// </summary>
public sealed class S3LocalEngineTests : IAsyncLifetime
{
    private const string Bucket = "recordings-test";
    private static readonly HttpClient Http = new();
    private S3LocalEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await S3LocalEngine.StartAsync(new S3LocalOptions { Buckets = [Bucket] });

    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task A_signed_put_and_get_round_trip_through_the_bucket_made_at_start()
    {
        using var s3 = _engine.CreateClient();
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = "a/b/hello.txt",
            ContentBody = "hello, recordings",
            ContentType = "text/plain",
        });

        using var got = await s3.GetObjectAsync(Bucket, "a/b/hello.txt");
        using var reader = new StreamReader(got.ResponseStream);
        Assert.Equal("hello, recordings", await reader.ReadToEndAsync());
        Assert.Equal("text/plain", got.Headers.ContentType);
    }

    [Fact]
    public async Task Objects_are_listed_under_a_prefix_and_deleted()
    {
        using var s3 = _engine.CreateClient();
        const string Prefix = "stage/st-1/p1/2026-12-03T10-00-00Z/";
        foreach (var key in new[] { Prefix + "events/recording-started.json", Prefix + "media/hls/high/0.ts", "other/x" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "x" });
        }

        var all = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        Assert.Equal(3, all.S3Objects.Count);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = Prefix });
        Assert.Equal(2, listed.S3Objects.Count);

        await s3.DeleteObjectAsync(Bucket, "other/x");
        Assert.Equal(2, (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).S3Objects.Count);
    }

    [Fact]
    public async Task A_request_signed_with_another_secret_or_not_signed_at_all_is_403()
    {
        using (var s3 = _engine.CreateClient())
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "secret.txt", ContentBody = "x" });
        }

        var wrongSecret = new BasicAWSCredentials(_engine.Credentials.GetCredentials().AccessKey, "not-the-secret");
        using var impostor = new AmazonS3Client(wrongSecret, S3LocalEngine.ClientConfig(_engine.ServiceUrl));
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => impostor.GetObjectAsync(Bucket, "secret.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", denied.ErrorCode);

        using var anonymous = await Http.GetAsync(new Uri($"{_engine.ServiceUrl}/{Bucket}/secret.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_presigned_get_works_and_an_expired_or_tampered_one_is_403()
    {
        using var s3 = _engine.CreateClient();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "media/hls/playlist.m3u8", ContentBody = "#EXTM3U\n" });
        string Presign(string key, DateTime expires) => s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = expires,
            Protocol = Protocol.HTTP,
        });

        var url = Presign("media/hls/playlist.m3u8", DateTime.UtcNow.AddMinutes(5));
        Assert.Contains("X-Amz-Signature=", url, StringComparison.Ordinal);
        using (var ok = await Http.GetAsync(new Uri(url)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("#EXTM3U\n", await ok.Content.ReadAsStringAsync());
        }

        // Expired: a URL valid for one second, asked for until its lifetime is over (polled, bounded).
        var shortLived = Presign("media/hls/playlist.m3u8", DateTime.UtcNow.AddSeconds(1));
        Assert.Equal("1", Parameter(shortLived, "X-Amz-Expires"));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status;
        string body;
        do
        {
            using var late = await Http.GetAsync(new Uri(shortLived));
            (status, body) = (late.StatusCode, await late.Content.ReadAsStringAsync());
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Request has expired", body, StringComparison.Ordinal);

        // Tampered: the signature of one object used for another, and a signature with one character changed.
        var otherKey = url.Replace("playlist.m3u8", "other.m3u8", StringComparison.Ordinal);
        var signature = Parameter(url, "X-Amz-Signature");
        var flipped = ReplaceParameter(url, "X-Amz-Signature", (signature[0] == 'a' ? "b" : "a") + signature[1..]);
        foreach (var tampered in new[] { otherKey, flipped })
        {
            using var response = await Http.GetAsync(new Uri(tampered));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("SignatureDoesNotMatch", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_page_of_another_origin_may_read_a_presigned_object_as_the_stack_s_bucket_cors_rule_allows()
    {
        // The recordings bucket's CORS rule in the stack (GET and HEAD from any origin, header Range): hls.js in the
        // console fetches presigned segments across origins. CORS opens nothing else: unsigned is still 403.
        using var s3 = _engine.CreateClient();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "media/hls/high/0.ts", ContentBody = "ts" });
        var url = new Uri(s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = "media/hls/high/0.ts",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Protocol = Protocol.HTTP,
        }));
        const string Origin = "http://localhost:3001";

        using var preflight = new HttpRequestMessage(HttpMethod.Options, url);
        preflight.Headers.Add("Origin", Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "range");
        using (var answer = await Http.SendAsync(preflight))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("GET", answer.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        }

        using var get = new HttpRequestMessage(HttpMethod.Get, url);
        get.Headers.Add("Origin", Origin);
        using (var answer = await Http.SendAsync(get))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        using var put = new HttpRequestMessage(HttpMethod.Options, url);
        put.Headers.Add("Origin", Origin);
        put.Headers.Add("Access-Control-Request-Method", "PUT");
        using (var answer = await Http.SendAsync(put))
        {
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        }

        using var unsigned = new HttpRequestMessage(HttpMethod.Get, new Uri($"{_engine.ServiceUrl}/{Bucket}/media/hls/high/0.ts"));
        unsigned.Headers.Add("Origin", Origin);
        using (var answer = await Http.SendAsync(unsigned))
        {
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        }
    }

    [Fact]
    public async Task The_server_refuses_connections_on_the_machine_s_non_loopback_addresses()
    {
        await LoopbackAssert.AcceptsOnLoopbackOnlyAsync(_engine.Port);
    }

    [Fact]
    public async Task A_given_port_is_used_and_disposing_frees_it()
    {
        var port = _engine.Port;
        await _engine.DisposeAsync();
        await using var again = await S3LocalEngine.StartAsync(new S3LocalOptions { Port = port, Buckets = [Bucket] });
        Assert.Equal(port, again.Port);
        using var s3 = again.CreateClient();
        var buckets = await s3.ListBucketsAsync();
        Assert.Equal([Bucket], buckets.Buckets.Select(b => b.BucketName));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }

    private static string Parameter(string url, string name)
    {
        var query = new Uri(url).Query.TrimStart('?').Split('&');
        return Uri.UnescapeDataString(query.Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..]);
    }

    private static string ReplaceParameter(string url, string name, string value)
    {
        var builder = new StringBuilder();
        var uri = new Uri(url);
        foreach (var part in uri.Query.TrimStart('?').Split('&'))
        {
            builder.Append(builder.Length == 0 ? '?' : '&');
            builder.Append(part.StartsWith(name + "=", StringComparison.Ordinal) ? $"{name}={Uri.EscapeDataString(value)}" : part);
        }

        return uri.GetLeftPart(UriPartial.Path) + builder;
    }
}
