using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Ivs;

/// <summary>
/// The IVS stage behind each stage of this backend: created with it, renamed with it, deleted with it; read back for
/// the endpoints self-signed tokens carry. Used by the API's stage service and <see cref="Stages.StageEndpointResolver"/>.
/// Refusals arrive as <see cref="IvsServiceException"/> subclasses.
/// </summary>
public interface IStageProvisioning
{
    /// <summary>Creates a stage with these tags; the result carries its ARN and, when IVS returned them, its endpoints.</summary>
    Task<IvsStage> CreateStageAsync(string name, IReadOnlyDictionary<string, string> tags, RecordingTarget? recording,
        CancellationToken cancellationToken);

    /// <summary>
    /// Sets the stage's individual participant recording (null: off). <see cref="IvsConflictException"/> when IVS refuses the change
    /// because participants are being recorded.
    /// </summary>
    Task SetRecordingAsync(string stageArn, RecordingTarget? recording, CancellationToken cancellationToken);

    /// <summary><see cref="IvsResourceNotFoundException"/> when the stage is gone.</summary>
    Task<IvsStage> GetStageAsync(string stageArn, CancellationToken cancellationToken);

    Task RenameStageAsync(string stageArn, string name, CancellationToken cancellationToken);

    /// <summary>Deletes the stage; one already gone is success too (deletes are retried). False when it was gone.</summary>
    Task<bool> DeleteStageIfExistsAsync(string stageArn, CancellationToken cancellationToken);
}

/// <summary>Individual participant recording with these options into the deployment's IVS storage configuration.</summary>
public sealed record RecordingTarget(string StorageConfigurationArn, StageRecording Options);
