using IvsServerless.Core.Reconciliation;

namespace IvsServerless.Reconciler;

/// <summary>
/// Where a pipelined pass stands, for the checkpoint. Stages are issued in listing order to concurrent workers and finish
/// in any order; the position is the first issued stage not finished yet, or, once every issued stage is, where listing
/// goes on. So a run that stops leaves out no stage; one finished past the position is done again by the next run.
/// </summary>
public sealed class PassProgress(ReconcilerCheckpoint start)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Entry> _issued = new();
    private ReconcilerCheckpoint _listing = start;
    private bool _endOfList;
    private string? _savedToken = start.PageToken;

    public DateTimeOffset? CycleStartedAt
    {
        get
        {
            lock (_lock)
            {
                return _listing.CycleStartedAt;
            }
        }
    }

    /// <summary>The checkpoint to store now.</summary>
    public ReconcilerCheckpoint Position
    {
        get
        {
            lock (_lock)
            {
                return PositionLocked();
            }
        }
    }

    /// <summary>Every stage of the list has been issued and finished.</summary>
    public bool CycleCompleted
    {
        get
        {
            lock (_lock)
            {
                return _endOfList && _issued.Count == 0;
            }
        }
    }

    /// <summary>The stage at <paramref name="index"/> of the page listed with <paramref name="pageToken"/> goes to a worker.</summary>
    public Entry Issue(string? pageToken, int index)
    {
        lock (_lock)
        {
            var entry = new Entry(pageToken, index);
            _issued.AddLast(entry);
            _listing = _listing with { PageToken = pageToken, Position = index + 1 };
            return entry;
        }
    }

    /// <summary>The page's stages are all issued; listing goes on at <paramref name="nextCursor"/> (none: the list ended).</summary>
    public void PageIssued(string? nextCursor)
    {
        lock (_lock)
        {
            if (string.IsNullOrEmpty(nextCursor))
            {
                _endOfList = true;
            }
            else
            {
                _listing = new ReconcilerCheckpoint(nextCursor, 0, _listing.CycleStartedAt);
            }
        }
    }

    /// <summary>A stored page token was refused: listing starts a new cycle.</summary>
    public void Restart(DateTimeOffset now)
    {
        lock (_lock)
        {
            _listing = new ReconcilerCheckpoint(null, 0, now);
            _endOfList = false;
        }
    }

    /// <summary>
    /// Marks a stage finished; true when that moved the position onto a page not stored yet (the pass saves its
    /// checkpoint once per page, as the loop it replaced did).
    /// </summary>
    public bool Finish(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            entry.Done = true;
            while (_issued.First is { Value.Done: true })
            {
                _issued.RemoveFirst();
            }

            var position = PositionLocked();
            if (position.PageToken is null || position.PageToken == _savedToken || (_endOfList && _issued.Count == 0))
            {
                return false;
            }

            _savedToken = position.PageToken;
            return true;
        }
    }

    private ReconcilerCheckpoint PositionLocked() =>
        _issued.First is { } first
            ? new ReconcilerCheckpoint(first.Value.PageToken, first.Value.Index, _listing.CycleStartedAt)
            : _endOfList ? ReconcilerCheckpoint.Start : _listing;

    public sealed class Entry(string? pageToken, int index)
    {
        public string? PageToken { get; } = pageToken;
        public int Index { get; } = index;
        public bool Done { get; set; }
    }
}
