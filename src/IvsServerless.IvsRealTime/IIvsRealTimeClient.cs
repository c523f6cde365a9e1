namespace IvsServerless.IvsRealTime;

/// <summary>
/// The Amazon IVS Real-Time control-plane operations this backend uses. Every call is signed, retried on
/// throttling / 5xx / network failures, and throws an <see cref="IvsRealTimeException"/> subclass when IVS refuses.
/// </summary>
public interface IIvsRealTimeClient
{
    // Stages
    Task<CreateStageResponse> CreateStageAsync(CreateStageRequest request, CancellationToken cancellationToken = default);
    Task<GetStageResponse> GetStageAsync(GetStageRequest request, CancellationToken cancellationToken = default);
    Task<UpdateStageResponse> UpdateStageAsync(UpdateStageRequest request, CancellationToken cancellationToken = default);
    Task<DeleteStageResponse> DeleteStageAsync(DeleteStageRequest request, CancellationToken cancellationToken = default);
    Task<ListStagesResponse> ListStagesAsync(ListStagesRequest request, CancellationToken cancellationToken = default);

    // Participant tokens and participants
    Task<CreateParticipantTokenResponse> CreateParticipantTokenAsync(
        CreateParticipantTokenRequest request, CancellationToken cancellationToken = default);
    Task<DisconnectParticipantResponse> DisconnectParticipantAsync(
        DisconnectParticipantRequest request, CancellationToken cancellationToken = default);

    // Sessions
    Task<ListStageSessionsResponse> ListStageSessionsAsync(ListStageSessionsRequest request, CancellationToken cancellationToken = default);
    Task<GetStageSessionResponse> GetStageSessionAsync(GetStageSessionRequest request, CancellationToken cancellationToken = default);
    Task<ListParticipantsResponse> ListParticipantsAsync(ListParticipantsRequest request, CancellationToken cancellationToken = default);
    Task<GetParticipantResponse> GetParticipantAsync(GetParticipantRequest request, CancellationToken cancellationToken = default);
    Task<ListParticipantEventsResponse> ListParticipantEventsAsync(
        ListParticipantEventsRequest request, CancellationToken cancellationToken = default);

    // Compositions
    Task<StartCompositionResponse> StartCompositionAsync(StartCompositionRequest request, CancellationToken cancellationToken = default);
    Task<StopCompositionResponse> StopCompositionAsync(StopCompositionRequest request, CancellationToken cancellationToken = default);
    Task<GetCompositionResponse> GetCompositionAsync(GetCompositionRequest request, CancellationToken cancellationToken = default);
    Task<ListCompositionsResponse> ListCompositionsAsync(ListCompositionsRequest request, CancellationToken cancellationToken = default);

    // Encoder configurations
    Task<CreateEncoderConfigurationResponse> CreateEncoderConfigurationAsync(
        CreateEncoderConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<GetEncoderConfigurationResponse> GetEncoderConfigurationAsync(
        GetEncoderConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<DeleteEncoderConfigurationResponse> DeleteEncoderConfigurationAsync(
        DeleteEncoderConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<ListEncoderConfigurationsResponse> ListEncoderConfigurationsAsync(
        ListEncoderConfigurationsRequest request, CancellationToken cancellationToken = default);

    // Storage configurations
    Task<CreateStorageConfigurationResponse> CreateStorageConfigurationAsync(
        CreateStorageConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<GetStorageConfigurationResponse> GetStorageConfigurationAsync(
        GetStorageConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<DeleteStorageConfigurationResponse> DeleteStorageConfigurationAsync(
        DeleteStorageConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<ListStorageConfigurationsResponse> ListStorageConfigurationsAsync(
        ListStorageConfigurationsRequest request, CancellationToken cancellationToken = default);

    // Ingest configurations (RTMP(S) encoders publishing into a stage)
    Task<CreateIngestConfigurationResponse> CreateIngestConfigurationAsync(
        CreateIngestConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<GetIngestConfigurationResponse> GetIngestConfigurationAsync(
        GetIngestConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<DeleteIngestConfigurationResponse> DeleteIngestConfigurationAsync(
        DeleteIngestConfigurationRequest request, CancellationToken cancellationToken = default);
    Task<ListIngestConfigurationsResponse> ListIngestConfigurationsAsync(
        ListIngestConfigurationsRequest request, CancellationToken cancellationToken = default);

    // Participant replication (a publisher of one stage shown on another)
    Task<StartParticipantReplicationResponse> StartParticipantReplicationAsync(
        StartParticipantReplicationRequest request, CancellationToken cancellationToken = default);
    Task<StopParticipantReplicationResponse> StopParticipantReplicationAsync(
        StopParticipantReplicationRequest request, CancellationToken cancellationToken = default);
    Task<ListParticipantReplicasResponse> ListParticipantReplicasAsync(
        ListParticipantReplicasRequest request, CancellationToken cancellationToken = default);

    // Public keys
    Task<ImportPublicKeyResponse> ImportPublicKeyAsync(ImportPublicKeyRequest request, CancellationToken cancellationToken = default);
    Task<DeletePublicKeyResponse> DeletePublicKeyAsync(DeletePublicKeyRequest request, CancellationToken cancellationToken = default);
    Task<ListPublicKeysResponse> ListPublicKeysAsync(ListPublicKeysRequest request, CancellationToken cancellationToken = default);

    // Tags
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);
    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(
        ListTagsForResourceRequest request, CancellationToken cancellationToken = default);
}
