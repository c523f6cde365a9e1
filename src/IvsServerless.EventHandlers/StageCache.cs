using System.Collections.Concurrent;
using IvsServerless.Core.Stages;

namespace IvsServerless.EventHandlers;

/// <summary>
/// Stage lookups for the batched event path, per container: every stage of a batch is read at once (one
/// <c>BatchGetItem</c> when the store is an <see cref="IStageBatchReader"/>), and a stage read is reused for
/// <see cref="Lifetime"/>. What events need from a stage is that it exists and whether an observation of its live
/// session is news; observations only move forward and writes are guarded by the stage's version, so a cached stage
/// is never written over a newer one: a version conflict drops the entry and re-reads (<see cref="ActiveSessions"/>),
/// and every write this cache makes replaces the entry with the version written. Unknown stages are not cached (a
/// stage created a moment ago must be found at once).
/// </summary>
public sealed class StageCache(IStageStore stages, TimeProvider? time = null)
{
    /// <summary>How long a stage read is reused (a few batches): bounds how stale a "not news" decision can be.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Stage Stage, DateTimeOffset ReadAt)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The stages that exist among <paramref name="stageIds"/>, cached or read (at most one request per stage).</summary>
    public async Task<IReadOnlyDictionary<string, Stage>> FindManyAsync(
        IReadOnlyCollection<string> stageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stageIds);
        var now = _time.GetUtcNow();
        var found = new Dictionary<string, Stage>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var id in stageIds.Distinct(StringComparer.Ordinal))
        {
            if (_entries.TryGetValue(id, out var entry) && now - entry.ReadAt < Lifetime)
            {
                found[id] = entry.Stage;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        IReadOnlyDictionary<string, Stage> read;
        if (stages is IStageBatchReader batchReader)
        {
            read = await batchReader.FindManyAsync(missing, cancellationToken);
        }
        else
        {
            var each = await Task.WhenAll(missing.Select(id => stages.FindAsync(id, cancellationToken)));
            read = each.OfType<Stage>().ToDictionary(s => s.StageId, StringComparer.Ordinal);
        }

        foreach (var (id, stage) in read)
        {
            found[id] = stage;
            _entries[id] = (stage, now);
        }

        return found;
    }

    /// <summary>
    /// Records <paramref name="sessionId"/> as <paramref name="stage"/>'s live session as of <paramref name="observedAt"/>
    /// when that is news for the stage as read: one version-guarded write, or on a conflict the re-reading
    /// <see cref="ActiveSessions.RecordAsync"/>.
    /// </summary>
    public async Task RecordAsync(Stage stage, string sessionId, DateTimeOffset observedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (stage.Deleted || stage.WithActiveSession(sessionId, observedAt) is not { } updated)
        {
            return;
        }

        try
        {
            await stages.UpdateAsync(updated, cancellationToken);
            _entries[updated.StageId] = (updated, _time.GetUtcNow());
        }
        catch (StageConflictException)
        {
            // Someone else changed the stage since it was read: forget it and decide again on a fresh read.
            _entries.TryRemove(stage.StageId, out _);
            await stages.RecordAsync(stage.StageId, sessionId, observedAt, cancellationToken);
        }
    }
}
