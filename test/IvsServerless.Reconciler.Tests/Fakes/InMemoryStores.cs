using IvsServerless.Core.Events;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Reconciliation;
using IvsServerless.Core.Sessions;
using IvsServerless.Core.Stages;

namespace IvsServerless.Reconciler.Tests.Fakes;

/// <summary>The IStageStore contract in memory (optimistic versions included).</summary>
public sealed class InMemoryStageStore : IStageStore, IStageCatalog
{
    private readonly Dictionary<string, Stage> _stages = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Stage this[string stageId]
    {
        get { lock (_lock) { return _stages[stageId]; } }
    }

    public Task AddAsync(Stage stage, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _stages.TryAdd(stage.StageId, stage) ? Task.CompletedTask : throw new StageConflictException("exists");
        }
    }

    public Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken)
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
            if (!_stages.TryGetValue(updated.StageId, out var current) || current.Version != updated.Version - 1)
            {
                throw new StageConflictException("version");
            }

            _stages[updated.StageId] = updated;
        }

        return Task.CompletedTask;
    }

    public Task<Page<Stage>> ListOwnedByAsync(string ownerId, PageRequest page, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Page<Stage>> ListLivePublicAsync(PageRequest page, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    /// <summary>Slices by a stable hash of the id, as DynamoDB's parallel scan splits by key.</summary>
    public async IAsyncEnumerable<Stage> ListSliceAsync(int slice, int slices,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<Stage> all;
        lock (_lock)
        {
            all = [.. _stages.Values.Where(s => !s.Deleted && SliceOf(s.StageId, slices) == slice)];
        }

        foreach (var stage in all)
        {
            await Task.Yield();
            yield return stage;
        }
    }

    public static int SliceOf(string stageId, int slices) => stageId.Sum(c => c) % slices;
}

/// <summary>The projection in memory: events through <see cref="Projector"/>, presence by newest observation.</summary>
public sealed class InMemoryProjection : IProjectionStore, ISessionHistory
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ParticipantKey, ParticipantPresence> _presence = [];

    public ProjectionState State { get; private set; } = ProjectionState.Empty;

    public List<ParsedIvsEvent> Applied { get; } = [];

    public Task ApplyAsync(ParsedIvsEvent ivsEvent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Applied.Add(ivsEvent);
            State = Projector.Apply(State, ivsEvent);
        }

        return Task.CompletedTask;
    }

    public Task RecordPresenceAsync(ParticipantPresence presence, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_presence.TryGetValue(presence.Key, out var current) || current.ObservedAt < presence.ObservedAt)
            {
                _presence[presence.Key] = presence;
            }
        }

        return Task.CompletedTask;
    }

    public ParticipantPresence? PresenceOf(ParticipantKey key)
    {
        lock (_lock)
        {
            return _presence.GetValueOrDefault(key);
        }
    }

    public Task<Page<SessionSummary>> ListSessionsAsync(string stageId, PageRequest page, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The reconciler reads one session at a time.");

    /// <summary>The session's participants as the projection and the presence checks describe them (no timelines).</summary>
    public Task<SessionDetail?> FindSessionAsync(string stageId, string sessionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = new SessionKey(stageId, sessionId);
            if (!State.Sessions.TryGetValue(key, out var session))
            {
                return Task.FromResult<SessionDetail?>(null);
            }

            var participants = State.Participants.Values
                .Where(p => p.Key.StageId == stageId && p.Key.SessionId == sessionId)
                .Select(p => new SessionParticipant(p, _presence.GetValueOrDefault(p.Key)?.Connected,
                    _presence.GetValueOrDefault(p.Key)?.ObservedAt, []))
                .ToList();
            return Task.FromResult<SessionDetail?>(
                new SessionDetail(new SessionSummary(stageId, sessionId, session.FirstActivity, session.LastActivity), participants));
        }
    }

    public bool? PublishingOf(ParticipantKey key)
    {
        lock (_lock)
        {
            return State.Participants.GetValueOrDefault(key)?.Publishing?.Value;
        }
    }
}

/// <summary>The checkpoint item in memory, lease included.</summary>
public sealed class InMemoryCheckpointStore : IReconcilerCheckpointStore
{
    public ReconcilerCheckpoint Checkpoint { get; set; } = ReconcilerCheckpoint.Start;
    public string? LeaseOwner { get; set; }
    public DateTimeOffset LeaseUntil { get; set; }
    public int Saves { get; private set; }

    public Task<ReconcilerCheckpoint?> TryAcquireAsync(
        string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        if (LeaseOwner is not null && LeaseOwner != owner && LeaseUntil > now)
        {
            return Task.FromResult<ReconcilerCheckpoint?>(null);
        }

        LeaseOwner = owner;
        LeaseUntil = leaseUntil;
        return Task.FromResult<ReconcilerCheckpoint?>(Checkpoint);
    }

    public Task<bool> SaveAsync(string owner, ReconcilerCheckpoint checkpoint, bool release, CancellationToken cancellationToken)
    {
        if (LeaseOwner != owner)
        {
            return Task.FromResult(false);
        }

        Checkpoint = checkpoint;
        Saves++;
        if (release)
        {
            LeaseOwner = null;
        }

        return Task.FromResult(true);
    }
}
