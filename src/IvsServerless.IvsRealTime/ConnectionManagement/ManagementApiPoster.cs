using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime;
using IvsServerless.Core.Live;

namespace IvsServerless.IvsRealTime.ConnectionManagement;

/// <summary>
/// The API Gateway Management API's <c>POST {endpoint}/@connections/{connectionId}</c>, signed with SigV4 (service
/// <c>execute-api</c>) by the same AWSSDK.Core signer as the IVS client: there is no API Gateway Management package on
/// the registry this project uses. <paramref name="endpoint"/> is <c>https://{api-id}.execute-api.{region}.amazonaws.com/{stage}</c>
/// (or the local host's stand-in). 410 Gone means the connection is closed.
/// </summary>
public sealed class ManagementApiPoster(HttpClient http, Uri endpoint, string region, AWSCredentials? credentials = null,
    TimeProvider? time = null) : IConnectionPoster
{
    private readonly SigV4RequestSigner _signer = new(credentials, region, "execute-api", time);
    private readonly string _base = endpoint?.ToString().TrimEnd('/') ?? throw new ArgumentNullException(nameof(endpoint));

    public async Task<PostOutcome> PostAsync(string connectionId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var body = message.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_base}/@connections/{Uri.EscapeDataString(connectionId)}"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await _signer.SignAsync(request, body, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Gone => PostOutcome.Gone,
            _ when response.IsSuccessStatusCode => PostOutcome.Delivered,
            _ => throw new HttpRequestException(
                $"Posting to a connection failed with {(int)response.StatusCode}.", null, response.StatusCode),
        };
    }
}
