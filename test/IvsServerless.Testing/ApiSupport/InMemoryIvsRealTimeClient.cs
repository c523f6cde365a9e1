using System.Collections.Concurrent;
using System.Security.Cryptography;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Testing.ApiSupport;

/// <summary>
/// The IVS stage and participant-token operations in memory, for measuring or testing the project's own code
/// without the emulator's HTTP hop and ES384 signing. The token is random opaque text, not a JWT. Operations the
/// API's stage and token paths do not call throw <see cref="NotSupportedException"/>.
/// </summary>
public sealed class InMemoryIvsRealTimeClient(string region = "us-east-1", string accountId = "123456789012") : IIvsRealTimeClient
{
    private readonly ConcurrentDictionary<string, Stage> _stages = new(StringComparer.Ordinal);

    public int StageCount => _stages.Count;

    public Task<CreateStageResponse> CreateStageAsync(CreateStageRequest request, CancellationToken cancellationToken = default)
    {
        var stage = new Stage { Arn = $"arn:aws:ivs:{region}:{accountId}:stage/{RandomId(12)}", Name = request.Name, Tags = request.Tags };
        _stages[stage.Arn] = stage;
        return Task.FromResult(new CreateStageResponse { Stage = stage });
    }

    public Task<GetStageResponse> GetStageAsync(GetStageRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GetStageResponse { Stage = Find(request.Arn) });

    public Task<UpdateStageResponse> UpdateStageAsync(UpdateStageRequest request, CancellationToken cancellationToken = default)
    {
        var stage = Find(request.Arn) with { Name = request.Name };
        _stages[stage.Arn] = stage;
        return Task.FromResult(new UpdateStageResponse { Stage = stage });
    }

    public Task<DeleteStageResponse> DeleteStageAsync(DeleteStageRequest request, CancellationToken cancellationToken = default) =>
        _stages.TryRemove(request.Arn, out _)
            ? Task.FromResult(new DeleteStageResponse())
            : throw new ResourceNotFoundException($"Stage {request.Arn} not found.");

    public Task<CreateParticipantTokenResponse> CreateParticipantTokenAsync(CreateParticipantTokenRequest request, CancellationToken cancellationToken = default)
    {
        Find(request.StageArn);
        var duration = request.Duration ?? 720;
        return Task.FromResult(new CreateParticipantTokenResponse
        {
            ParticipantToken = new ParticipantToken
            {
                ParticipantId = RandomId(12),
                Token = RandomId(64),
                UserId = request.UserId,
                Attributes = request.Attributes,
                Duration = duration,
                Capabilities = request.Capabilities,
                ExpirationTime = DateTimeOffset.UtcNow.AddMinutes(duration),
            },
        });
    }

    public Task<ListStagesResponse> ListStagesAsync(ListStagesRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<DisconnectParticipantResponse> DisconnectParticipantAsync(DisconnectParticipantRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ListStageSessionsResponse> ListStageSessionsAsync(ListStageSessionsRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<GetStageSessionResponse> GetStageSessionAsync(GetStageSessionRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ListParticipantsResponse> ListParticipantsAsync(ListParticipantsRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<GetParticipantResponse> GetParticipantAsync(GetParticipantRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ListParticipantEventsResponse> ListParticipantEventsAsync(ListParticipantEventsRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<StartCompositionResponse> StartCompositionAsync(StartCompositionRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<StopCompositionResponse> StopCompositionAsync(StopCompositionRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<GetCompositionResponse> GetCompositionAsync(GetCompositionRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ListCompositionsResponse> ListCompositionsAsync(ListCompositionsRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<CreateEncoderConfigurationResponse> CreateEncoderConfigurationAsync(CreateEncoderConfigurationRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<GetEncoderConfigurationResponse> GetEncoderConfigurationAsync(GetEncoderConfigurationRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<DeleteEncoderConfigurationResponse> DeleteEncoderConfigurationAsync(DeleteEncoderConfigurationRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ListEncoderConfigurationsResponse> ListEncoderConfigurationsAsync(ListEncoderConfigurationsRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<CreateStorageConfigurationResponse> CreateStorageConfigurationAsync(CreateStorageConfigurationRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<GetStorageConfigurationResponse> GetStorageConfigurationAsync(GetStorageConfigurationRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<DeleteStorageConfigurationResponse> DeleteStorageConfigurationAsync(DeleteStorageConfigurationRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ListStorageConfigurationsResponse> ListStorageConfigurationsAsync(ListStorageConfigurationsRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ImportPublicKeyResponse> ImportPublicKeyAsync(ImportPublicKeyRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<DeletePublicKeyResponse> DeletePublicKeyAsync(DeletePublicKeyRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ListPublicKeysResponse> ListPublicKeysAsync(ListPublicKeysRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) => throw Unsupported();
    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default) => throw Unsupported();

    private Stage Find(string arn) =>
        _stages.TryGetValue(arn, out var stage) ? stage : throw new ResourceNotFoundException($"Stage {arn} not found.");

    private static string RandomId(int length) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);

    private static NotSupportedException Unsupported([System.Runtime.CompilerServices.CallerMemberName] string operation = "") =>
        new($"{nameof(InMemoryIvsRealTimeClient)} does not implement {operation}; use the emulator (EmulatorServer.StartAsync).");
}
