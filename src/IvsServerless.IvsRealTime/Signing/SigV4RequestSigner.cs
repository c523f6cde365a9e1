using System.Net.Http.Headers;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace IvsServerless.IvsRealTime;

/// <summary>
/// Signs an <see cref="HttpRequestMessage"/> in place with AWSSDK.Core's public SigV4 signer. It signs the
/// request's own headers too, so a proxy cannot alter e.g. Content-Type unnoticed.
/// </summary>
internal sealed class SigV4RequestSigner
{
    // Headers that intermediaries or the HTTP stack may add, drop or rewrite after signing (the JS SDK's
    // "unsignable" list), plus host, which the signer derives from the URI exactly as HttpClient sends it.
    private static readonly HashSet<string> NotSigned = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "host", "content-length", "user-agent", "connection", "expect", "transfer-encoding",
        "x-amzn-trace-id",
    };

    private readonly RegionEndpoint _region;
    private readonly string _service;
    private readonly TimeProvider? _time;
    private AWSCredentials? _credentials;

    /// <param name="credentials">null: resolve AWSSDK.Core's default chain (env vars in Lambda) on first use.</param>
    /// <param name="time">null: the signer's own clock-skew-corrected UTC now.</param>
    public SigV4RequestSigner(AWSCredentials? credentials, string region, string service, TimeProvider? time = null)
    {
        _credentials = credentials;
        _region = RegionEndpoint.GetBySystemName(region);
        _service = service;
        _time = time;
    }

    public async Task SignAsync(HttpRequestMessage request, byte[]? body, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest
        {
            HttpMethod = request.Method,
            RequestUri = request.RequestUri,
            Content = body,
        };
        CopySignableHeaders(request.Headers.NonValidated, signing.Headers);
        if (request.Content is not null)
        {
            CopySignableHeaders(request.Content.Headers.NonValidated, signing.Headers);
        }

        var parameters = new AWSSigV4Parameters
        {
            // Resolved lazily so constructing a client never does I/O; a failed resolution is retried next call.
            Credentials = _credentials ??= await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null),
            Region = _region,
            Service = _service,
            SignedAt = _time?.GetUtcNow().UtcDateTime,
        };
        var result = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken);

        // Every returned header is covered by the signature (date, payload hash, session token), not just Authorization.
        foreach (var (name, value) in result.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static void CopySignableHeaders(HttpHeadersNonValidated headers, IDictionary<string, string> target)
    {
        foreach (var (name, values) in headers)
        {
            if (!NotSigned.Contains(name))
            {
                // The signer takes one value per name: repeated values joined by ',' with each one trimmed.
                target[name] = string.Join(',', values.Select(v => v.Trim()));
            }
        }
    }
}
