using System.Globalization;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using IvsServerless.Core.Recordings;

namespace IvsServerless.Infrastructure.S3;

/// <summary>
/// <see cref="IRecordingObjects"/> on the recordings bucket (AWSSDK.S3). Build one per container: the client and its
/// connections are reused. With <see cref="S3RecordingOptions.ServiceUrl"/> (a local S3-compatible server) requests use path
/// style, so the bucket need not resolve as a host name.
/// </summary>
public sealed class S3RecordingObjects : IRecordingObjects, IDisposable
{
    private const int DeleteBatch = 1000;

    private readonly IAmazonS3 _s3;
    private readonly HttpClient _http;
    private readonly string _bucket;
    private readonly bool _ownsClients;

    public S3RecordingObjects(S3RecordingOptions options, AWSCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.BucketName;
        _s3 = credentials is null ? new AmazonS3Client(Config(options)) : new AmazonS3Client(credentials, Config(options));
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _ownsClients = true;
    }

    /// <summary>For tests: given clients (not disposed here).</summary>
    public S3RecordingObjects(IAmazonS3 s3, HttpClient http, string bucketName)
    {
        _s3 = s3;
        _http = http;
        _bucket = bucketName;
    }

    public static AmazonS3Config Config(S3RecordingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            // Only what S3 requires: local S3-compatible servers do not all know the newer default checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(10),
            MaxErrorRetry = 2,
        };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = options.Region;
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    public async Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = expiresAt.UtcDateTime,
        };
        if (_s3.Config.ServiceURL is { } service && service.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            request.Protocol = Protocol.HTTP;
        }

        return new Uri(await _s3.GetPreSignedURLAsync(request));
    }

    public async Task<SignedRead> ReadSignedAsync(
        string key, IReadOnlyDictionary<string, string> signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signature);

        // The object's URL as this client addresses it (host, path style, key encoding), with the caller's signature: S3 checks it.
        var baseUrl = (await PresignGetAsync(key, DateTimeOffset.UtcNow.AddMinutes(1), cancellationToken)).GetLeftPart(UriPartial.Path);
        var query = string.Join('&', signature.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        try
        {
            using var response = await _http.GetAsync(new Uri(baseUrl + "?" + query), cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => new SignedRead(
                    SignedReadStatus.Ok, await response.Content.ReadAsStringAsync(cancellationToken), ExpiresAt(signature)),
                HttpStatusCode.Forbidden or HttpStatusCode.BadRequest => new SignedRead(SignedReadStatus.Rejected),
                HttpStatusCode.NotFound => new SignedRead(SignedReadStatus.NotFound),
                var status => throw new RecordingObjectsException($"The recordings bucket answered {(int)status} reading a playlist."),
            };
        }
        catch (HttpRequestException e)
        {
            throw new RecordingObjectsException("The recordings bucket could not be reached.", e);
        }
    }

    /// <summary>SigV4 query signing: <c>X-Amz-Date</c> (yyyyMMddTHHmmssZ) plus <c>X-Amz-Expires</c> seconds (both signed).</summary>
    public static DateTimeOffset? ExpiresAt(IReadOnlyDictionary<string, string> signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.TryGetValue("X-Amz-Date", out var date)
            && signature.TryGetValue("X-Amz-Expires", out var expires)
            && DateTimeOffset.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var signedAt)
            && int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? signedAt.AddSeconds(seconds)
                : null;
    }

    public async Task<IReadOnlyList<string>> ListKeysAsync(string prefix, int max, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var key in KeysAsync(prefix, cancellationToken))
        {
            if (keys.Count >= max)
            {
                break;
            }

            keys.Add(key);
        }

        return keys;
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var batch = new List<string>(DeleteBatch);
        await foreach (var key in KeysAsync(prefix, cancellationToken))
        {
            batch.Add(key);
            if (batch.Count == DeleteBatch)
            {
                deleted += await DeleteAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        return batch.Count > 0 ? deleted + await DeleteAsync(batch, cancellationToken) : deleted;
    }

    private async Task<int> DeleteAsync(List<string> keys, CancellationToken cancellationToken)
    {
        DeleteObjectsResponse response;
        try
        {
            response = await _s3.DeleteObjectsAsync(
                new DeleteObjectsRequest
                {
                    BucketName = _bucket,
                    Quiet = true,
                    Objects = [.. keys.Select(k => new KeyVersion { Key = k })],
                },
                cancellationToken);
        }
        catch (DeleteObjectsException e)
        {
            throw new RecordingObjectsException(Refused(e.Response.DeleteErrors), e);
        }
        catch (AmazonServiceException e)
        {
            throw new RecordingObjectsException($"The recordings bucket refused the deletion ({e.ErrorCode}).", e);
        }

        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            throw new RecordingObjectsException(Refused(errors));
        }

        return keys.Count;
    }

    private static string Refused(List<DeleteError>? errors) =>
        $"The recordings bucket refused to delete {errors?.Count ?? 0} object(s)"
            + (errors is { Count: > 0 } ? $", e.g. {errors[0].Key} ({errors[0].Code})." : ".");

    private async IAsyncEnumerable<string> KeysAsync(
        string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await _s3.ListObjectsV2Async(
                    new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken);
            }
            catch (AmazonServiceException e)
            {
                throw new RecordingObjectsException($"The recordings bucket refused the listing ({e.ErrorCode}).", e);
            }

            foreach (var o in page.S3Objects ?? [])
            {
                yield return o.Key;
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public void Dispose()
    {
        if (_ownsClients)
        {
            _s3.Dispose();
            _http.Dispose();
        }
    }
}

/// <summary>Where the recordings bucket is: its name, and a local S3-compatible server's URL (null in AWS).</summary>
public sealed record S3RecordingOptions(string BucketName, Uri? ServiceUrl = null, string? Region = null);
