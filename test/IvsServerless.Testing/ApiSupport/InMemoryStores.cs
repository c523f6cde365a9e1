using System.Globalization;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Storage;

namespace IvsServerless.Testing.ApiSupport;

/// <summary>The IStageStore contract in memory; <see cref="Writes"/> proves whether anything was written.</summary>
public class InMemoryStageStore : IStageStore
{
    private readonly Dictionary<string, Stage> _stages = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Writes { get; private set; }

    /// <summary>Makes the next N updates lose a race, as if another writer got there first.</summary>
    public int ConflictsToInject { get; set; }

    public IReadOnlyList<Stage> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _stages.Values];
            }
        }
    }

    public virtual Task AddAsync(Stage stage, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_stages.TryGetValue(stage.StageId, out var stored))
            {
                // As the DynamoDB store: the same create again (a retry after a lost response) is success.
                return stored.IsRecordOf(stage)
                    ? Task.CompletedTask
                    : throw new StageConflictException($"Stage {stage.StageId} exists.");
            }

            _stages.Add(stage.StageId, stage);

            Writes++;
        }

        return Task.CompletedTask;
    }

    public virtual Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_stages.GetValueOrDefault(stageId));
        }
    }

    public Task UpdateAsync(Stage updated, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (ConflictsToInject > 0)
            {
                ConflictsToInject--;
                var stored = _stages[updated.StageId];
                _stages[updated.StageId] = stored with { Version = stored.Version + 1 };
                throw new StageConflictException("Lost a race.");
            }

            if (!_stages.TryGetValue(updated.StageId, out var current) || current.Version != updated.Version - 1)
            {
                throw new StageConflictException("Version mismatch.");
            }

            _stages[updated.StageId] = updated;
            Writes++;
        }

        return Task.CompletedTask;
    }

    public virtual Task<Page<Stage>> ListOwnedByAsync(string ownerId, PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(PageOf(s => s.OwnerId == ownerId && !s.Deleted, page));

    public Task<Page<Stage>> ListLivePublicAsync(PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(PageOf(s => s.Visibility == StageVisibility.Public && s.ActiveSessionId is not null && !s.Deleted, page));

    /// <summary>Stands in for the event projection, which sets the live session.</summary>
    public void SetLive(string stageId, string? sessionId)
    {
        lock (_lock)
        {
            var stage = _stages[stageId];
            _stages[stageId] = stage with { ActiveSessionId = sessionId, Version = stage.Version + 1 };
        }
    }

    private Page<Stage> PageOf(Func<Stage, bool> filter, PageRequest page)
    {
        var offset = 0;
        if (page.Cursor is not null && (!page.Cursor.StartsWith("o:", StringComparison.Ordinal)
            || !int.TryParse(page.Cursor.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            throw new InvalidCursorException("Not our cursor.");
        }

        lock (_lock)
        {
            var matching = _stages.Values.Where(filter).OrderByDescending(s => s.CreatedAt).ThenBy(
                s => s.StageId, StringComparer.Ordinal).ToList();
            var items = matching.Skip(offset).Take(page.Limit).ToList();
            var next = offset + items.Count < matching.Count ? "o:" + (offset + items.Count).ToString(CultureInfo.InvariantCulture) : null;
            return new Page<Stage>(items, next);
        }
    }
}

/// <summary>
/// A store whose stage writes fail after IVS already created the stage: not applied, or applied with the response
/// lost (<paramref name="writeApplied"/>); reads can fail too, so the service cannot tell (<paramref name="readsFail"/>).
/// </summary>
public sealed class FailingAddStageStore(bool writeApplied = false, bool readsFail = false) : InMemoryStageStore
{
    public override async Task AddAsync(Stage stage, CancellationToken cancellationToken)
    {
        if (writeApplied)
        {
            await base.AddAsync(stage, cancellationToken);
        }

        throw new StoreUnavailableException("DynamoDB is down at " + nameof(FailingAddStageStore), "ServiceUnavailable");
    }

    public override Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken) => readsFail
        ? throw new StoreUnavailableException("DynamoDB reads fail at " + nameof(FailingAddStageStore), "ServiceUnavailable")
        : base.FindAsync(stageId, cancellationToken);
}

public sealed class InMemoryCompositionStore : ICompositionStore
{
    private readonly List<Composition> _compositions = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<Composition> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _compositions];
            }
        }
    }

    public Task<Composition?> FindByIdempotencyKeyAsync(string stageId, string idempotencyKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_compositions.FirstOrDefault(c => c.StageId == stageId && c.IdempotencyKey == idempotencyKey));
        }
    }

    public Task AddAsync(Composition composition, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_compositions.Any(c => c.StageId == composition.StageId && c.IdempotencyKey == composition.IdempotencyKey))
            {
                throw new CompositionConflictException("Idempotency key already claimed.");
            }

            _compositions.Add(composition);
        }

        return Task.CompletedTask;
    }

    public Task<Composition?> FindAsync(string stageId, string compositionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(
                _compositions.FirstOrDefault(
                c => c.StageId == stageId && c.CompositionArn.EndsWith("/" + compositionId, StringComparison.Ordinal)));
        }
    }

    public Task<IReadOnlyList<Composition>> ListForStageAsync(string stageId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Composition>>(
                [.. _compositions.Where(c => c.StageId == stageId).OrderByDescending(c => c.StartedAt)]);
        }
    }

    public Task SetStateAsync(
        string stageId, string compositionId, string state, DateTimeOffset? endedAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _compositions.FindIndex(
                c => c.StageId == stageId && c.CompositionArn.EndsWith("/" + compositionId, StringComparison.Ordinal));
            if (index >= 0)
            {
                _compositions[index] = _compositions[index] with { State = state, EndedAt = endedAt };
            }
        }

        return Task.CompletedTask;
    }
}
