using IvsServerless.Core.Paging;

namespace IvsServerless.Core.Stages;

/// <summary>Where stages live (DynamoDB in production, in-memory fakes in unit tests).</summary>
public interface IStageStore
{
    /// <summary>Stores a new stage (version 1). Throws <see cref="StageConflictException"/> if the id exists.</summary>
    Task AddAsync(Stage stage, CancellationToken cancellationToken);

    /// <summary>The stage, including one marked deleted; null if it never existed.</summary>
    Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stage if the stored version is still <c>updated.Version - 1</c>; otherwise throws
    /// <see cref="StageConflictException"/> (someone else changed it: re-read and retry).
    /// </summary>
    Task UpdateAsync(Stage updated, CancellationToken cancellationToken);

    /// <summary>Stages the user owns, newest first, deleted ones excluded.</summary>
    Task<Page<Stage>> ListOwnedByAsync(string ownerId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Public stages with a live session, newest first.</summary>
    Task<Page<Stage>> ListLivePublicAsync(PageRequest page, CancellationToken cancellationToken);
}

/// <summary>A write lost a race or would duplicate a stage.</summary>
public sealed class StageConflictException(string message) : Exception(message);
