using IvsServerless.IvsRealTime;

namespace IvsServerless.Reconciler.Tests.Fakes;

/// <summary>Every IVS operation refuses; fakes override the ones a test exercises, so an unexpected call fails loudly.</summary>
public abstract class UnsupportedIvs : IIvsRealTimeClient
{
    public virtual Task<CreateStageResponse> CreateStageAsync(CreateStageRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("CreateStageAsync");
    public virtual Task<GetStageResponse> GetStageAsync(GetStageRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("GetStageAsync");
    public virtual Task<UpdateStageResponse> UpdateStageAsync(UpdateStageRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("UpdateStageAsync");
    public virtual Task<DeleteStageResponse> DeleteStageAsync(DeleteStageRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("DeleteStageAsync");
    public virtual Task<ListStagesResponse> ListStagesAsync(ListStagesRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListStagesAsync");
    public virtual Task<CreateParticipantTokenResponse> CreateParticipantTokenAsync(CreateParticipantTokenRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("CreateParticipantTokenAsync");
    public virtual Task<DisconnectParticipantResponse> DisconnectParticipantAsync(DisconnectParticipantRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("DisconnectParticipantAsync");
    public virtual Task<ListStageSessionsResponse> ListStageSessionsAsync(ListStageSessionsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListStageSessionsAsync");
    public virtual Task<GetStageSessionResponse> GetStageSessionAsync(GetStageSessionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("GetStageSessionAsync");
    public virtual Task<ListParticipantsResponse> ListParticipantsAsync(ListParticipantsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListParticipantsAsync");
    public virtual Task<GetParticipantResponse> GetParticipantAsync(GetParticipantRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("GetParticipantAsync");
    public virtual Task<ListParticipantEventsResponse> ListParticipantEventsAsync(ListParticipantEventsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListParticipantEventsAsync");
    public virtual Task<StartCompositionResponse> StartCompositionAsync(StartCompositionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("StartCompositionAsync");
    public virtual Task<StopCompositionResponse> StopCompositionAsync(StopCompositionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("StopCompositionAsync");
    public virtual Task<GetCompositionResponse> GetCompositionAsync(GetCompositionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("GetCompositionAsync");
    public virtual Task<ListCompositionsResponse> ListCompositionsAsync(ListCompositionsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListCompositionsAsync");
    public virtual Task<CreateEncoderConfigurationResponse> CreateEncoderConfigurationAsync(CreateEncoderConfigurationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("CreateEncoderConfigurationAsync");
    public virtual Task<GetEncoderConfigurationResponse> GetEncoderConfigurationAsync(GetEncoderConfigurationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("GetEncoderConfigurationAsync");
    public virtual Task<DeleteEncoderConfigurationResponse> DeleteEncoderConfigurationAsync(DeleteEncoderConfigurationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("DeleteEncoderConfigurationAsync");
    public virtual Task<ListEncoderConfigurationsResponse> ListEncoderConfigurationsAsync(ListEncoderConfigurationsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListEncoderConfigurationsAsync");
    public virtual Task<CreateStorageConfigurationResponse> CreateStorageConfigurationAsync(CreateStorageConfigurationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("CreateStorageConfigurationAsync");
    public virtual Task<GetStorageConfigurationResponse> GetStorageConfigurationAsync(GetStorageConfigurationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("GetStorageConfigurationAsync");
    public virtual Task<DeleteStorageConfigurationResponse> DeleteStorageConfigurationAsync(DeleteStorageConfigurationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("DeleteStorageConfigurationAsync");
    public virtual Task<ListStorageConfigurationsResponse> ListStorageConfigurationsAsync(ListStorageConfigurationsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListStorageConfigurationsAsync");
    public virtual Task<ImportPublicKeyResponse> ImportPublicKeyAsync(ImportPublicKeyRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ImportPublicKeyAsync");
    public virtual Task<DeletePublicKeyResponse> DeletePublicKeyAsync(DeletePublicKeyRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("DeletePublicKeyAsync");
    public virtual Task<ListPublicKeysResponse> ListPublicKeysAsync(ListPublicKeysRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListPublicKeysAsync");
    public virtual Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("TagResourceAsync");
    public virtual Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("UntagResourceAsync");
    public virtual Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("ListTagsForResourceAsync");
}
