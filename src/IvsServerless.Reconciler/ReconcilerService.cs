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
        var position = checkpoint with { CycleStartedAt = checkpoint.CycleStartedAt ?? started };

        // GetStage has a quota of its own, so the walk from records to IVS runs beside the stage loop: before it, its
        // calls only delayed the loop (at 1,000 live stages they pushed a pass into one more run).
        var ghostWalk = _ghosts.RunAsync(ivs, deadline.Token);
        try
        {
            while (true)
            {
                var listedAt = _time.GetUtcNow();
                Page<IvsStageSummary> page;
                try
                {
                    page = await ivs.ListStagesAsync(position.PageToken, _options.StagesPageSize, deadline.Token);
                }
                catch (IvsInvalidRequestException) when (position.PageToken is not null)
                {
                    // A stored page token IVS no longer accepts (expired): start the cycle over rather than stall on it.
                    log.Log(LambdaLogLevel.Warning, "Stored ListStages token refused; starting a new cycle");
                    position = new ReconcilerCheckpoint(null, 0, _time.GetUtcNow());
                    continue;
                }

                // Busy stages first: the live ones of the page, then the rest, each in listing order (a stable order,
                // so a run that resumes at the checkpoint's position continues where the last one stopped).
                var ordered = BusyFirst(page.Items);
                var recheckSlice = RecheckSlice(position.CycleStartedAt ?? started);
                for (var i = position.Position; i < ordered.Count; i++)
                {
                    await ReconcileStageAsync(ivs, ordered[i], listedAt, recheckSlice, report, log, deadline.Token);
                    position = position with { Position = i + 1 };
                }

                if (string.IsNullOrEmpty(page.NextCursor))
                {
                    report.CycleCompleted = true;
                    position = ReconcilerCheckpoint.Start;
                    break;
                }

                position = new ReconcilerCheckpoint(page.NextCursor, 0, position.CycleStartedAt);
                if (!await _checkpoints.SaveAsync(runId, position, release: false, ct))
                {
                    log.Log(LambdaLogLevel.Warning, "Reconciler lease lost; stopping");
                    break;
                }
            }

            (report.RecordsChecked, report.GhostRecordsMarked) = await ghostWalk;
        }
        catch (OperationCanceledException) when (budgetTimer.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            report.OutOfTime = true;
        }
        finally
        {
            await FinishedAsync(ghostWalk);

            // Also after a failure: the next run retries from the stage that failed, not from the start.
            await _checkpoints.SaveAsync(runId, position, release: true, CancellationToken.None);
        }

        return Finish(report, ivs);
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
