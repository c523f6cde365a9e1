using IvsServerless.Core.Ivs;

namespace IvsServerless.Core.Stages;

/// <summary>
/// The one place a stage gets its IVS endpoints. New stages store them from <see cref="IStageProvisioning.CreateStageAsync"/>;
/// stages stored before endpoints were cached read them from IVS once here and keep them on the stage record. A lost
/// race only skips the write (the next token retries it); the endpoints read are right either way.
/// </summary>
public sealed class StageEndpointResolver(IStageStore store, IStageProvisioning ivs)
{
    /// <summary>
    /// The stage with its endpoints. <see cref="IvsResourceNotFoundException"/> when IVS no longer has the stage;
    /// <see cref="InvalidOperationException"/> when IVS returned no events/WHIP endpoints.
    /// </summary>
    public async Task<Stage> WithEndpointsAsync(Stage stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (stage.Endpoints is not null)
        {
            return stage;
        }

        var endpoints = (await ivs.GetStageAsync(stage.StageArn, cancellationToken)).Endpoints
            ?? throw new InvalidOperationException($"IVS returned no events/whip endpoints for stage {stage.StageId}.");
        var updated = stage with { Endpoints = endpoints, Version = stage.Version + 1 };
        try
        {
            await store.UpdateAsync(updated, cancellationToken);
            return updated;
        }
        catch (StageConflictException)
        {
            return stage with { Endpoints = endpoints };
        }
    }
}
