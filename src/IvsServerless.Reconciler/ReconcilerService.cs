using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using IvsServerless.Core.Events;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Reconciliation;
using IvsServerless.Core.Sessions;
using IvsServerless.Core.Stages;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Reconciler;

/// <summary>
/// One scheduled pass over this deployment's IVS stages (see README.md): records each stage's live session, what
/// <c>ListParticipants</c> says about presence (which no event reports), repairs the publishing state from
/// <c>ListParticipantEvents</c> for the participants the projection cannot vouch for (<see cref="NeedsPublishCheck"/>),
/// closes sessions that ended, and sweeps idle stages. Live stages of a page are visited first. Every IVS call goes through a token
/// bucket per operation; the run stops at its deadline and the next one resumes at the stored checkpoint.
/// Built once per container: the buckets outlive a run, so back-to-back runs cannot burst past the rate.
/// </summary>
public sealed class ReconcilerService
{
    private readonly IStageInventory _ivs;
    private readonly IStageStore _stages;
    private readonly IProjectionStore _projection;
    private readonly IReconcilerCheckpointStore _checkpoints;
    private readonly ReconcilerOptions _options;
    private readonly TimeProvider _time;
    private readonly RateLimiter _limiter;
    private readonly IdleStageSweeper _sweeper;
    private readonly GhostStageWalk _ghosts;
    private readonly CompositionConvergence _compositions;
    private readonly ISessionHistory? _history;

    /// <param name="history">
    /// The projection's read side, to know which participants it can vouch for; null: it vouches for none, and every
    /// participant who ever published is looked up (and each lookup that finds a publish event counts as a repair).
    /// </param>
    public ReconcilerService(IStageInventory ivs, IStageStore stages, IProjectionStore projection, IReconcilerCheckpointStore checkpoints,
        IStageCatalog catalog, CompositionConvergence compositions, ReconcilerOptions options, TimeProvider? time = null,
        ISessionHistory? history = null)
    {
        _history = history;
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _ivs = ivs;
        _stages = stages;
        _projection = projection;
        _checkpoints = checkpoints;
        _options = options;
        _time = time ?? TimeProvider.System;
        _limiter = new RateLimiter(_time, options.CallsPerSecond);
        _sweeper = new IdleStageSweeper(stages, options, _time);
        _ghosts = new GhostStageWalk(catalog, stages, options, _time);
        _compositions = compositions;
    }

    /// <param name="runId">Unique per run (the Lambda request id): the lease owner.</param>
    /// <param name="budget">How long this run may work (the caller has taken its margin off the Lambda time left).</param>
    public async Task<ReconcileReport> RunAsync(string runId, TimeSpan budget, ILambdaLogger log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(log);
        var report = new ReconcileReport();
        if (budget > _options.MaxRunTime)
        {
            budget = _options.MaxRunTime;
        }

        if (budget <= TimeSpan.Zero)
        {
            report.OutOfTime = true;
            return report;
        }

        var started = _time.GetUtcNow();

        // The lease outlives the deadline by the margin, the time this run still needs to store its checkpoint.
        var checkpoint = await _checkpoints.TryAcquireAsync(runId, started, started + budget + _options.DeadlineMargin, ct);
        if (checkpoint is null)
        {
            log.Log(LambdaLogLevel.Information, "Reconciler skipped: another run holds the lease");
            return report;
        }

        report.Ran = true;
        var ivs = new ThrottledStageInventory(_ivs, _limiter);
        using var budgetTimer = new CancellationTokenSource(budget, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, budgetTimer.Token);
        using var stop = new CancellationTokenSource();
        var progress = new PassProgress(checkpoint with { CycleStartedAt = checkpoint.CycleStartedAt ?? started });
        using var pass = new Pass(ivs, progress, runId, started + budget - DrainTime(budget), log, stop, deadline.Token);

        // GetStage has a quota of its own, so the walk from records to IVS runs beside the stage loop: before it, its
        // calls only delayed the loop (at 1,000 live stages they pushed a pass into one more run).
        var ghostWalk = _ghosts.RunAsync(ivs, deadline.Token);
        try
        {
            await RunPassAsync(pass, report, ct);
            report.CycleCompleted = progress.CycleCompleted;
            report.OutOfTime = !report.CycleCompleted && !pass.LeaseLost;
            (report.RecordsChecked, report.GhostRecordsMarked) = await ghostWalk;
        }
        catch (OperationCanceledException) when (budgetTimer.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            report.OutOfTime = true;
        }
        finally
        {
            await FinishedAsync(ghostWalk);

            // Also after a failure: the next run retries from the first stage not finished, not from the start.
            await _checkpoints.SaveAsync(runId, progress.Position, release: true, CancellationToken.None);
        }

        return Finish(report, ivs);
    }

    /// <summary>
    /// The time at the end of a run in which stages already started may finish but no new one starts (a stage cut off at
    /// the deadline is done again by the next run, its <c>ListParticipants</c> call wasted): at most a quarter of the run.
    /// </summary>
    private TimeSpan DrainTime(TimeSpan budget) => TimeSpan.FromTicks(Math.Min(_options.StageDrainTime.Ticks, budget.Ticks / 4));

    /// <summary>One run's shared state: the workers, the lister and the checkpoint saves meet here.</summary>
    private sealed class Pass(
        ThrottledStageInventory ivs, PassProgress progress, string runId, DateTimeOffset startNoStageAfter, ILambdaLogger log,
        CancellationTokenSource stop, CancellationToken deadline) : IDisposable
    {
        public ThrottledStageInventory Ivs { get; } = ivs;
        public PassProgress Progress { get; } = progress;
        public string RunId { get; } = runId;
        public DateTimeOffset StartNoStageAfter { get; } = startNoStageAfter;
        public ILambdaLogger Log { get; } = log;

        /// <summary>The run's hard deadline (and the caller's cancellation): cancels IVS waits mid-stage.</summary>
        public CancellationToken Deadline { get; } = deadline;

        /// <summary>Set when no further stage may start: the list was issued, a worker failed, the lease was lost.</summary>
        public CancellationTokenSource Stop { get; } = stop;

        public SemaphoreSlim SaveGate { get; } = new(1, 1);
        public bool LeaseLost { get; set; }

        public void Dispose() => SaveGate.Dispose();
    }

    /// <summary>
    /// The pass, pipelined so that the <c>ListParticipants</c> bucket (the pass's bound: one call per live stage) never
    /// waits on anything else: one task lists the <c>ListStages</c> pages ahead into a small channel, and
    /// <see cref="ReconcilerOptions.StageConcurrency"/> workers take stages from it in listing order, each stage whole
    /// (its table reads and writes, <c>ListParticipants</c>, its <c>ListParticipantEvents</c> lookups and repairs), all
    /// through the same per-operation buckets. Each worker counts into its own report; they are added up at the end.
    /// </summary>
    private async Task RunPassAsync(Pass pass, ReconcileReport report, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<StageWork>(new BoundedChannelOptions(_options.StageConcurrency) { SingleWriter = true });
        var lister = ListAsync(pass, channel.Writer, ct);
        var reports = Enumerable.Range(0, _options.StageConcurrency).Select(_ => new ReconcileReport()).ToList();
        var workers = reports.Select(r => WorkAsync(pass, channel.Reader, r)).ToList();
        var all = Task.WhenAll([lister, .. workers]);
        try
        {
            await all;
        }
        catch (Exception) when (all.Exception is { } failed
            && failed.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } failure)
        {
            // A failure, not the cancellations it caused in the other tasks, is what the run reports.
            ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            foreach (var r in reports)
            {
                report.Add(r);
            }
        }
    }

    /// <summary>A stage handed from the lister to a worker.</summary>
    private sealed record StageWork(IvsStageSummary Stage, DateTimeOffset ListedAt, int RecheckSlice, PassProgress.Entry Entry);

    private async Task ListAsync(Pass pass, ChannelWriter<StageWork> writer, CancellationToken ct)
    {
        using var stopOrDeadline = CancellationTokenSource.CreateLinkedTokenSource(pass.Deadline, pass.Stop.Token);
        try
        {
            var position = pass.Progress.Position;
            var (token, skip) = (position.PageToken, position.Position);
            while (!pass.Stop.IsCancellationRequested && _time.GetUtcNow() < pass.StartNoStageAfter)
            {
                var listedAt = _time.GetUtcNow();
                Page<IvsStageSummary> page;
                try
                {
                    page = await pass.Ivs.ListStagesAsync(token, _options.StagesPageSize, stopOrDeadline.Token);
                }
                catch (IvsInvalidRequestException) when (token is not null)
                {
                    // A stored page token IVS no longer accepts (expired): start the cycle over rather than stall on it.
                    pass.Log.Log(LambdaLogLevel.Warning, "Stored ListStages token refused; starting a new cycle");
                    pass.Progress.Restart(_time.GetUtcNow());
                    (token, skip) = (null, 0);
                    continue;
                }

                // Busy stages first: the live ones of the page, then the rest, each in listing order (a stable order,
                // so a run that resumes at the checkpoint's position continues where the last one stopped).
                var ordered = BusyFirst(page.Items);
                var recheckSlice = RecheckSlice(pass.Progress.CycleStartedAt ?? listedAt);
                for (var i = skip; i < ordered.Count; i++)
                {
                    await writer.WaitToWriteAsync(stopOrDeadline.Token);
                    if (_time.GetUtcNow() >= pass.StartNoStageAfter)
                    {
                        return;
                    }

                    var work = new StageWork(ordered[i], listedAt, recheckSlice, pass.Progress.Issue(token, i));
                    if (!writer.TryWrite(work))
                    {
                        throw new InvalidOperationException("The stage channel refused a write it had room for (one writer only).");
                    }
                }

                pass.Progress.PageIssued(page.NextCursor);
                if (string.IsNullOrEmpty(page.NextCursor))
                {
                    return;
                }

                (token, skip) = (page.NextCursor, 0);
            }
        }
        catch (OperationCanceledException) when (pass.Stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // The workers stopped (a failure, the lease): nothing more to hand them.
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task WorkAsync(Pass pass, ChannelReader<StageWork> reader, ReconcileReport report)
    {
        try
        {
            while (await reader.WaitToReadAsync(pass.Deadline))
            {
                if (pass.Stop.IsCancellationRequested || _time.GetUtcNow() >= pass.StartNoStageAfter)
                {
                    // Drain time: the stages started finish, none starts (a later one would only be cut off).
                    break;
                }

                if (!reader.TryRead(out var work))
                {
                    continue;
                }

                await ReconcileStageAsync(pass.Ivs, work.Stage, work.ListedAt, work.RecheckSlice, report, pass.Log, pass.Deadline);
                if (pass.Progress.Finish(work.Entry))
                {
                    await SavePositionAsync(pass);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            pass.Stop.Cancel();
            throw;
        }
        finally
        {
            // The lister waits for room in the channel: with a worker gone, it must not wait for one that never reads.
            // Cancel runs the waiters' callbacks here, so the stop is in effect when this worker ends (CancelAsync would
            // leave them to a thread-pool thread, after it).
            if (pass.Stop.IsCancellationRequested || _time.GetUtcNow() >= pass.StartNoStageAfter)
            {
                pass.Stop.Cancel();
            }
        }
    }

    /// <summary>Stores the position after a page, as the serial loop did; a lost lease stops the pass.</summary>
    private async Task SavePositionAsync(Pass pass)
    {
        await pass.SaveGate.WaitAsync(CancellationToken.None);
        try
        {
            if (!pass.LeaseLost
                && !await _checkpoints.SaveAsync(pass.RunId, pass.Progress.Position, release: false, CancellationToken.None))
            {
                pass.LeaseLost = true;
                pass.Log.Log(LambdaLogLevel.Warning, "Reconciler lease lost; stopping");
                pass.Stop.Cancel();
            }
        }
        finally
        {
            pass.SaveGate.Release();
        }
    }

    /// <summary>Waits for a task this run started, without letting its failure replace the one being reported.</summary>
    private static async Task FinishedAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            // Observed only: a walk that failed or ran out of time is retried by the next run, whose slice differs.
        }
    }

    private static ReconcileReport Finish(ReconcileReport report, ThrottledStageInventory ivs)
    {
        report.IvsCalls = new Dictionary<string, int>(ivs.Calls, StringComparer.Ordinal);
        return report;
    }

    /// <summary>The live stages of a page first, then the others, each group in listing order.</summary>
    public static IReadOnlyList<IvsStageSummary> BusyFirst(IReadOnlyList<IvsStageSummary> stages) =>
        [.. stages.Where(s => s.ActiveSessionId is not null), .. stages.Where(s => s.ActiveSessionId is null)];

    /// <summary>
    /// Which slice of the vouched publishers this cycle looks up anyway (<see cref="ReconcilerOptions.PublishRecheckSlices"/>):
    /// the minute the cycle started, modulo the (prime) number of slices, so successive cycles walk through every slice.
    /// </summary>
    private int RecheckSlice(DateTimeOffset cycleStartedAt) =>
        (int)(cycleStartedAt.UtcTicks / TimeSpan.TicksPerMinute % _options.PublishRecheckSlices);

    /// <summary>A participant's slice: a stable hash of session and participant id (FNV-1a), not string.GetHashCode.</summary>
    public static int SliceOf(string sessionId, string participantId, int slices)
    {
        var hash = 2166136261u;
        foreach (var c in string.Concat(sessionId, "/", participantId))
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)slices);
    }

    /// <summary>
    /// Whether the publishing state of a participant IVS lists must be looked up (<c>ListParticipantEvents</c>). Not for
    /// one who never published, nor a replica (IVS sends no publish events for those), nor one IVS lists as disconnected
    /// (not publishing whatever the projection says: the presence written now outranks an older publish, and the API
    /// shows them gone). For a connected publisher: when the projection has no publish event of theirs (one was lost),
    /// and otherwise only in this cycle's recheck slice — the projection cannot see a lost last event, so every
    /// vouched publisher is looked up once every <see cref="ReconcilerOptions.PublishRecheckSlices"/> cycles.
    /// </summary>
    public static bool NeedsPublishCheck(IvsParticipant participant, SessionParticipant? projected, bool inRecheckSlice) =>
        participant.Published && !participant.IsReplica && participant.Connected
            && (projected?.Projection.Publishing is null || inRecheckSlice);

    private async Task ReconcileStageAsync(IStageInventory ivs, IvsStageSummary summary, DateTimeOffset listedAt, int recheckSlice,
        ReconcileReport report, ILambdaLogger log, CancellationToken ct)
    {
        report.StagesListed++;
        if (summary.Tags.GetValueOrDefault(StageTags.ManagedBy) != _options.DeploymentTag || summary.Arn.Length == 0)
        {
            return;
        }

        report.StagesOfThisDeployment++;
        var stageId = IvsEventParser.ResourceId(summary.Arn);
        var live = summary.ActiveSessionId;
        try
        {
            var item = await _stages.FindAsync(stageId, ct);
            if (item is null || item.Deleted)
            {
                // Nothing of ours to project into; a live one is left alone (never delete a stage in use).
                if (live is null)
                {
                    var outcome = await _sweeper.SweepOrphanAsync(ivs, summary, ct);
                    report.OrphansMarked += outcome == OrphanOutcome.Marked ? 1 : 0;
                    report.OrphansDeleted += outcome == OrphanOutcome.Deleted ? 1 : 0;
                }

                return;
            }

            var (compositionsChecked, compositionsRepaired) = await _compositions.ConvergeAsync(stageId, ct);
            report.CompositionsChecked += compositionsChecked;
            report.CompositionsRepaired += compositionsRepaired;

            // Observations are stamped with the time before ListStages was sent: an event newer than what the
            // listing could have seen always wins over it.
            if (live is not null)
            {
                report.LiveStages++;
                await _stages.RecordAsync(stageId, live, listedAt, ct);
                await ReconcileSessionAsync(ivs, summary.Arn, stageId, live, recheckSlice, closing: false, report, ct);
            }

            if (item.ActiveSessionId is { } previous && previous != live)
            {
                // The session we had as live is over: record that, and take its participants' final state
                // (all disconnected, publishing stopped) from the API, since no event says a session ended.
                if (live is null)
                {
                    await _stages.RecordAsync(stageId, null, listedAt, ct);
                }

                await ReconcileSessionAsync(ivs, summary.Arn, stageId, previous, recheckSlice, closing: true, report, ct);
                report.SessionsClosed++;
            }
            else if (live is null && await _sweeper.SweepAsync(ivs, item, ct))
            {
                report.IdleStagesDeleted++;
                log.Log(LambdaLogLevel.Information, "Idle stage deleted", KeyValuePair.Create("stageId", (object?)stageId));
            }
        }
        catch (IvsResourceNotFoundException)
        {
            // Deleted since it was listed: nothing left to reconcile.
        }
        catch (Exception e) when (e is IvsServiceException or HttpRequestException)
        {
            // One stage IVS will not answer for must not stop the rest; the next cycle tries it again.
            report.StagesFailed++;
            log.Log(LambdaLogLevel.Warning, "Stage not reconciled", new("stageId", stageId), new("errorType", e.GetType().Name),
                new("errorMessage", e.Message));
        }
    }

    /// <param name="closing">
    /// The session is over: its participants' final publishing state is looked up for everyone who published (nobody
    /// is connected any more, and the session's last events are the ones most likely still missing).
    /// </param>
    private async Task ReconcileSessionAsync(IStageInventory ivs, string stageArn, string stageId, string sessionId, int recheckSlice,
        bool closing, ReconcileReport report, CancellationToken ct)
    {
        var projected = _history is null
            ? null
            : (await _history.FindSessionAsync(stageId, sessionId, ct))?.Participants
                .ToDictionary(p => p.ParticipantId, StringComparer.Ordinal);
        string? next = null;
        do
        {
            var observedAt = _time.GetUtcNow();
            var page = await ivs.ListParticipantsAsync(stageArn, sessionId, next, ct);
            foreach (var participant in page.Items)
            {
                if (string.IsNullOrEmpty(participant.ParticipantId))
                {
                    continue;
                }

                await _projection.RecordPresenceAsync(new ParticipantPresence(
                    new ParticipantKey(stageId, sessionId, participant.ParticipantId),
                    participant.Connected,
                    participant.UserId,
                    participant.FirstJoinTime,
                    participant.Published,
                    observedAt), ct);
                report.PresenceRecorded++;

                // Only a participant that ever published has publish events to repair (`published` is "ever" in IVS).
                // Replicas get no Published/Unpublished events from IVS (replication events report them), so none here.
                var known = projected?.GetValueOrDefault(participant.ParticipantId);
                var check = _history is null || closing
                    ? participant.Published && !participant.IsReplica
                    : NeedsPublishCheck(
                        participant, known,
                        SliceOf(sessionId, participant.ParticipantId, _options.PublishRecheckSlices) == recheckSlice);
                if (!check)
                {
                    continue;
                }

                report.PublishStatesChecked++;
                if (await RepairPublishStateAsync(ivs, stageArn, sessionId, participant, known, _history is not null, ct))
                {
                    report.PublishStatesRepaired++;
                }
            }

            next = page.NextCursor;
        }
        while (!string.IsNullOrEmpty(next));
    }

    /// <summary>
    /// Looks up the participant's publish events and writes the latest as a repair event; true when that changed what the
    /// projection said (with <paramref name="knowsProjection"/>: a publishing value it did not have; without: any write).
    /// </summary>
    private async Task<bool> RepairPublishStateAsync(IStageInventory ivs, string stageArn, string sessionId, IvsParticipant participant,
        SessionParticipant? known, bool knowsProjection, CancellationToken ct)
    {
        if (await PublishStateEvents.LookUpAsync(ivs, stageArn, sessionId, participant.ParticipantId!, participant.UserId, ct)
            is not { } repair)
        {
            return false;
        }

        var publishing = repair.EventName == IvsEventName.ParticipantPublished;
        if (knowsProjection && known?.Projection.Publishing?.Value == publishing)
        {
            // The projection already says so: nothing to write, nothing repaired.
            return false;
        }

        await _projection.ApplyAsync(repair, ct);
        return true;
    }
}
