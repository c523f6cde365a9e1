using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace IvsServerless.IvsEmulator.Recording;

/// <summary>
/// <see cref="IRecordingWriter"/> on an S3-compatible endpoint (the local host's S3 server), with AWSSDK.S3: path-style,
/// SigV4-signed PutObject per object.
/// </summary>
public sealed class S3RecordingWriter(AmazonS3Client s3) : IRecordingWriter, IDisposable
{
    /// <summary>A writer for <paramref name="serviceUrl"/> signing with <paramref name="credentials"/>.</summary>
    public static S3RecordingWriter For(Uri serviceUrl, AWSCredentials credentials, string region)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        return new S3RecordingWriter(new AmazonS3Client(credentials, new AmazonS3Config
        {
            ServiceURL = serviceUrl.GetLeftPart(UriPartial.Authority),
            ForcePathStyle = true,
            AuthenticationRegion = region,
            // The local server knows no trailing checksums; nothing here needs them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // Generous: the server is on loopback, but a loaded machine (tests in parallel) can keep it busy for seconds; a
            // write that still times out is a recording failure, never an error of the operation.
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(30),
        }));
    }

    public async Task WriteAsync(string bucket, IReadOnlyList<RecordingObject> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var item in objects)
        {
            try
            {
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = item.Key,
                    InputStream = new MemoryStream(item.Body.ToArray(), writable: false),
                    ContentType = item.ContentType,
                }, cancellationToken);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
                or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new RecordingWriteException($"Cannot write s3://{bucket}/{item.Key}: {e.Message}", e);
            }
        }
    }

    public void Dispose() => s3.Dispose();
}
