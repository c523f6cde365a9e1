using IvsServerless.Api.Errors;
using IvsServerless.Core.Stages;

namespace IvsServerless.Api.Stages;

/// <summary>
/// Who may touch a stage. A stage the caller may not see answers exactly like a missing one (404), so
/// private stages are never disclosed; a visible stage the caller does not own answers 403.
/// </summary>
public sealed class StageAccess(IStageStore store)
{
    public async Task<Stage> FindVisibleAsync(string userId, string stageId, CancellationToken ct)
    {
        var stage = await store.FindAsync(stageId, ct);
        return stage is { Deleted: false } && stage.IsVisibleTo(userId) ? stage : throw NotFoundException.Stage();
    }

    /// <param name="includeDeleted">Delete is idempotent: the owner may delete a deleted stage again.</param>
    public async Task<Stage> FindOwnedAsync(string userId, string stageId, CancellationToken ct, bool includeDeleted = false)
    {
        var stage = await store.FindAsync(stageId, ct);
        if (stage is null || (stage.Deleted && !(includeDeleted && stage.IsOwnedBy(userId))) || !stage.IsVisibleTo(userId))
        {
            throw NotFoundException.Stage();
        }

        return stage.IsOwnedBy(userId) ? stage : throw new ForbiddenException("owner-only", "Only the stage owner may do this.");
    }
}
