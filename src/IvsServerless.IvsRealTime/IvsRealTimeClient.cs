using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;

namespace IvsServerless.IvsRealTime;

/// <summary>
/// <see cref="IIvsRealTimeClient"/> over an injected <see cref="HttpClient"/> (restJson1, SigV4 signing name "ivs").
/// Thread-safe: create one per container and share it.
/// </summary>
public sealed class IvsRealTimeClient : IIvsRealTimeClient
{
    private const string SigningName = "ivs";
    private static readonly IvsRealTimeJsonContext Json = IvsRealTimeJsonContext.Default;

    private readonly HttpClient _http;
    private readonly IvsRealTimeClientOptions _options;
    private readonly string _baseUrl;
    private readonly SigV4RequestSigner _signer;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="httpClient">Sends the requests; not disposed by this client. Its handler must not follow redirects (a redirected hop
    /// would carry a stale signature).</param>
    /// <param name="options">Validated here; invalid options throw <see cref="ArgumentException"/>.</param>
    /// <param name="credentials">null: AWSSDK.Core's default credential chain (the Lambda environment variables), resolved on first
    /// call.</param>
    /// <param name="delay">Waits between attempts; defaults to <see cref="Task.Delay(TimeSpan, CancellationToken)"/>. Tests pass one that
    /// does not sleep.</param>
    /// <param name="timeProvider">Signing clock; null uses AWSSDK.Core's clock-skew-corrected UTC now.</param>
    public IvsRealTimeClient(
        HttpClient httpClient,
        IvsRealTimeClientOptions options,
        AWSCredentials? credentials = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        _http = httpClient;
        _options = options;
        _baseUrl = options.ResolveServiceUrl().AbsoluteUri.TrimEnd('/');
        _signer = new SigV4RequestSigner(credentials, options.Region, SigningName, timeProvider);
        _delay = delay ?? Task.Delay;
    }

    public Task<CreateStageResponse> CreateStageAsync(CreateStageRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("CreateStage", request, Json.CreateStageRequest, Json.CreateStageResponse, cancellationToken);

    public Task<GetStageResponse> GetStageAsync(GetStageRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("GetStage", request, Json.GetStageRequest, Json.GetStageResponse, cancellationToken);

    public Task<UpdateStageResponse> UpdateStageAsync(UpdateStageRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("UpdateStage", request, Json.UpdateStageRequest, Json.UpdateStageResponse, cancellationToken);

    public Task<DeleteStageResponse> DeleteStageAsync(DeleteStageRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("DeleteStage", request, Json.DeleteStageRequest, Json.DeleteStageResponse, cancellationToken);

    public Task<ListStagesResponse> ListStagesAsync(ListStagesRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("ListStages", request, Json.ListStagesRequest, Json.ListStagesResponse, cancellationToken);

    public Task<CreateParticipantTokenResponse> CreateParticipantTokenAsync(
        CreateParticipantTokenRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "CreateParticipantToken", request, Json.CreateParticipantTokenRequest, Json.CreateParticipantTokenResponse, cancellationToken);

    public Task<DisconnectParticipantResponse> DisconnectParticipantAsync(
        DisconnectParticipantRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "DisconnectParticipant", request, Json.DisconnectParticipantRequest, Json.DisconnectParticipantResponse, cancellationToken);

    public Task<ListStageSessionsResponse> ListStageSessionsAsync(
        ListStageSessionsRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("ListStageSessions", request, Json.ListStageSessionsRequest, Json.ListStageSessionsResponse, cancellationToken);

    public Task<GetStageSessionResponse> GetStageSessionAsync(
        GetStageSessionRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("GetStageSession", request, Json.GetStageSessionRequest, Json.GetStageSessionResponse, cancellationToken);

    public Task<ListParticipantsResponse> ListParticipantsAsync(
        ListParticipantsRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("ListParticipants", request, Json.ListParticipantsRequest, Json.ListParticipantsResponse, cancellationToken);

    public Task<GetParticipantResponse> GetParticipantAsync(GetParticipantRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("GetParticipant", request, Json.GetParticipantRequest, Json.GetParticipantResponse, cancellationToken);

    public Task<CreateIngestConfigurationResponse> CreateIngestConfigurationAsync(
        CreateIngestConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "CreateIngestConfiguration", request, Json.CreateIngestConfigurationRequest, Json.CreateIngestConfigurationResponse,
            cancellationToken);

    public Task<GetIngestConfigurationResponse> GetIngestConfigurationAsync(
        GetIngestConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "GetIngestConfiguration", request, Json.GetIngestConfigurationRequest, Json.GetIngestConfigurationResponse,
            cancellationToken);

    public Task<DeleteIngestConfigurationResponse> DeleteIngestConfigurationAsync(
        DeleteIngestConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "DeleteIngestConfiguration", request, Json.DeleteIngestConfigurationRequest, Json.DeleteIngestConfigurationResponse,
            cancellationToken);

    public Task<ListIngestConfigurationsResponse> ListIngestConfigurationsAsync(
        ListIngestConfigurationsRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "ListIngestConfigurations", request, Json.ListIngestConfigurationsRequest, Json.ListIngestConfigurationsResponse,
            cancellationToken);

    public Task<StartParticipantReplicationResponse> StartParticipantReplicationAsync(
        StartParticipantReplicationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "StartParticipantReplication", request, Json.StartParticipantReplicationRequest, Json.StartParticipantReplicationResponse,
            cancellationToken);

    public Task<StopParticipantReplicationResponse> StopParticipantReplicationAsync(
        StopParticipantReplicationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "StopParticipantReplication", request, Json.StopParticipantReplicationRequest, Json.StopParticipantReplicationResponse,
            cancellationToken);

    public Task<ListParticipantReplicasResponse> ListParticipantReplicasAsync(
        ListParticipantReplicasRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "ListParticipantReplicas", request, Json.ListParticipantReplicasRequest, Json.ListParticipantReplicasResponse,
            cancellationToken);

    public Task<ListParticipantEventsResponse> ListParticipantEventsAsync(
        ListParticipantEventsRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "ListParticipantEvents", request, Json.ListParticipantEventsRequest, Json.ListParticipantEventsResponse, cancellationToken);

    public Task<StartCompositionResponse> StartCompositionAsync(
        StartCompositionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Fixed before the first attempt, so a retry after a lost response cannot start a second composition.
        var idempotent = request.IdempotencyToken is null ? request with { IdempotencyToken = Guid.NewGuid().ToString() } : request;
        return PostAsync("StartComposition", idempotent, Json.StartCompositionRequest, Json.StartCompositionResponse, cancellationToken);
    }

    public Task<StopCompositionResponse> StopCompositionAsync(
        StopCompositionRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("StopComposition", request, Json.StopCompositionRequest, Json.StopCompositionResponse, cancellationToken);

    public Task<GetCompositionResponse> GetCompositionAsync(GetCompositionRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("GetComposition", request, Json.GetCompositionRequest, Json.GetCompositionResponse, cancellationToken);

    public Task<ListCompositionsResponse> ListCompositionsAsync(
        ListCompositionsRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("ListCompositions", request, Json.ListCompositionsRequest, Json.ListCompositionsResponse, cancellationToken);

    public Task<CreateEncoderConfigurationResponse> CreateEncoderConfigurationAsync(
        CreateEncoderConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "CreateEncoderConfiguration", request, Json.CreateEncoderConfigurationRequest, Json.CreateEncoderConfigurationResponse,
            cancellationToken);

    public Task<GetEncoderConfigurationResponse> GetEncoderConfigurationAsync(
        GetEncoderConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "GetEncoderConfiguration", request, Json.GetEncoderConfigurationRequest, Json.GetEncoderConfigurationResponse,
            cancellationToken);

    public Task<DeleteEncoderConfigurationResponse> DeleteEncoderConfigurationAsync(
        DeleteEncoderConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "DeleteEncoderConfiguration", request, Json.DeleteEncoderConfigurationRequest, Json.DeleteEncoderConfigurationResponse,
            cancellationToken);

    public Task<ListEncoderConfigurationsResponse> ListEncoderConfigurationsAsync(
        ListEncoderConfigurationsRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "ListEncoderConfigurations", request, Json.ListEncoderConfigurationsRequest, Json.ListEncoderConfigurationsResponse,
            cancellationToken);

    public Task<CreateStorageConfigurationResponse> CreateStorageConfigurationAsync(
        CreateStorageConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "CreateStorageConfiguration", request, Json.CreateStorageConfigurationRequest, Json.CreateStorageConfigurationResponse,
            cancellationToken);

    public Task<GetStorageConfigurationResponse> GetStorageConfigurationAsync(
        GetStorageConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "GetStorageConfiguration", request, Json.GetStorageConfigurationRequest, Json.GetStorageConfigurationResponse,
            cancellationToken);

    public Task<DeleteStorageConfigurationResponse> DeleteStorageConfigurationAsync(
        DeleteStorageConfigurationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "DeleteStorageConfiguration", request, Json.DeleteStorageConfigurationRequest, Json.DeleteStorageConfigurationResponse,
            cancellationToken);

    public Task<ListStorageConfigurationsResponse> ListStorageConfigurationsAsync(
        ListStorageConfigurationsRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(
            "ListStorageConfigurations", request, Json.ListStorageConfigurationsRequest, Json.ListStorageConfigurationsResponse,
            cancellationToken);

    public Task<ImportPublicKeyResponse> ImportPublicKeyAsync(
        ImportPublicKeyRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("ImportPublicKey", request, Json.ImportPublicKeyRequest, Json.ImportPublicKeyResponse, cancellationToken);

    public Task<DeletePublicKeyResponse> DeletePublicKeyAsync(
        DeletePublicKeyRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("DeletePublicKey", request, Json.DeletePublicKeyRequest, Json.DeletePublicKeyResponse, cancellationToken);

    public Task<ListPublicKeysResponse> ListPublicKeysAsync(ListPublicKeysRequest request, CancellationToken cancellationToken = default) =>
        PostAsync("ListPublicKeys", request, Json.ListPublicKeysRequest, Json.ListPublicKeysResponse, cancellationToken);

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(new TagResourceBody(request.Tags), Json.TagResourceBody);
        return SendAsync(HttpMethod.Post, TagsPath(request.ResourceArn), body, Json.TagResourceResponse, cancellationToken);
    }

    public async Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var keys in UntagBatches(request.TagKeys))
        {
            var query = string.Join('&', keys.Select(key => "tagKeys=" + Uri.EscapeDataString(key)));
            var path = TagsPath(request.ResourceArn) + (query.Length > 0 ? "?" + query : "");
            await SendAsync(HttpMethod.Delete, path, null, Json.UntagResourceResponse, cancellationToken);
        }

        return new UntagResourceResponse();
    }

    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(
        ListTagsForResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(HttpMethod.Get, TagsPath(request.ResourceArn), null, Json.ListTagsForResourceResponse, cancellationToken);
    }

    // The ARN is one path segment, so ':' and '/' are percent-encoded (arn%3Aaws%3Aivs%3A…%2F…).
    private static string TagsPath(string resourceArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceArn);
        return "/tags/" + Uri.EscapeDataString(resourceArn);
    }

    /// <summary>
    /// AWSSDK.Core's signer sorts query values by their decoded text, SigV4 by their encoded text. When the two
    /// orders differ (e.g. "a.b" and "a:b") the signature would not match, so those keys go one per request;
    /// untagging is idempotent, so the split is safe.
    /// </summary>
    internal static IEnumerable<IReadOnlyList<string>> UntagBatches(IReadOnlyList<string> tagKeys)
    {
        ArgumentNullException.ThrowIfNull(tagKeys);
        var byDecoded = tagKeys.Order(StringComparer.Ordinal);
        var byEncoded = tagKeys.OrderBy(Uri.EscapeDataString, StringComparer.Ordinal);
        return byDecoded.SequenceEqual(byEncoded) ? [tagKeys] : tagKeys.Select(key => (IReadOnlyList<string>)[key]);
    }

    private Task<TResponse> PostAsync<TRequest, TResponse>(
        string operation, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType,
            CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        return SendAsync(HttpMethod.Post, "/" + operation, body, responseType, cancellationToken);
    }

    private async Task<TResponse> SendAsync<TResponse>(
        HttpMethod method, string pathAndQuery, byte[]? body, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseUrl + pathAndQuery, UriKind.Absolute);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(method, uri, body, responseType, cancellationToken);
            }
            catch (Exception error) when (attempt < _options.MaxAttempts && RetryPolicy.IsRetryable(error, cancellationToken))
            {
                var wait = RetryPolicy.Backoff(attempt, _options.BaseDelay, _options.MaxDelay, Random.Shared.NextDouble());
                await _delay(wait, cancellationToken);
            }
        }
    }

    private async Task<TResponse> SendOnceAsync<TResponse>(
        HttpMethod method, Uri uri, byte[]? body, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        // A fresh message per attempt: a message cannot be sent twice, and each attempt needs a fresh signature.
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        await _signer.SignAsync(request, body, cancellationToken);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ErrorResponseParser.ToException(response.StatusCode, response.Headers, payload);
        }

        // Operations without output may answer with an empty body instead of {}.
        return (payload.Length == 0 ? JsonSerializer.Deserialize("{}"u8, responseType) : JsonSerializer.Deserialize(payload, responseType))
            ?? throw new JsonException($"IVS Real-Time answered {uri.AbsolutePath} with a JSON null.");
    }
}
