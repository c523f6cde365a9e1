using IvsServerless.Core.Compositions;
using IvsServerless.Core.Events;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Reconciliation;
using IvsServerless.Core.Stages;

namespace IvsServerless.EventHandlers;

/// <summary>
/// Applies one IVS EventBridge event: parse, match it to a stage (and composition) we manage, project it, and move
/// the stage's live session and the composition's state along. An event that can never be applied (malformed, for a
/// stage or composition we do not know) is stored as rejected and is not an error — retrying it would change
/// nothing. Store failures (throttling, 5xx, timeouts) propagate, so Lambda retries the event (EventBridge invokes
/// asynchronously) and finally sends it to the dead-letter queue; every step is idempotent, so a retry after a partial failure loses and
/// duplicates nothing.
/// </summary>
/// <param name="participantEvents">IVS's own record of a participant's events, asked when a batch leaves a publishing
/// value contested within one second (<see cref="PublishingTie"/>); without it such values wait for the reconciler.</param>
public sealed class IvsEventService(
    IProjectionStore projection,
    IStageStore stages,
    ICompositionStore compositions,
    IRejectedEventStore rejected,
    TimeProvider? time = null,
    IParticipantEventHistory? participantEvents = null)
{
    /// <summary>
    /// The API stores a composition right after IVS accepts its start, so the composition's first events can arrive
    /// before its item. While an event is younger than this, an unknown composition is a transient failure: the
    /// invocation fails and Lambda retries it 1 and 2 minutes later (by then the item is there, or the event is old
    /// enough to be rejected as a composition not started through this backend).
    /// </summary>
    public static readonly TimeSpan CompositionStoreGrace = TimeSpan.FromSeconds(90);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly StageCache _stageCache = new(stages, time);

    public async Task<IvsEventOutcome> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!IvsEventParser.TryParse(payload.Span, out var e, out var reason))
        {
            return await RejectAsync(payload, reason, cancellationToken);
        }

        var stageId = IvsEventParser.ResourceId(e.Detail is CompositionStateDetail composition ? composition.StageArn! : e.ResourceArn);
        var stage = await stages.FindAsync(stageId, cancellationToken);
        if (stage is null)
        {
            return await RejectAsync(payload, $"unknown stage '{stageId}'", cancellationToken, e);
        }

        switch (e.Detail)
        {
            case StageUpdateDetail or ParticipantRecordingDetail:
                await projection.ApplyAsync(e, cancellationToken);
                var sessionId = Projector.ParticipantKeyOf(e).SessionId;
                // The stage we just read tells whether this observation is news; only then take the optimistic write path.
                if (!stage.Deleted && stage.WithActiveSession(sessionId, e.EventTime) is not null)
                {
                    await stages.RecordAsync(stageId, sessionId, e.EventTime, cancellationToken);
                }

                break;

            case CompositionStateDetail:
                var compositionId = IvsEventParser.ResourceId(e.ResourceArn);
                var stored = await compositions.FindAsync(stageId, compositionId, cancellationToken);
                if (stored is null)
                {
                    if (_time.GetUtcNow() - e.EventTime < CompositionStoreGrace)
                    {
                        throw new CompositionNotStoredYetException(
                            $"Composition '{compositionId}' on stage '{stageId}' is not stored yet; its event of {e.EventTime:O} is "
                                + $"retried.");
                    }

                    // Started outside this backend (or its item never got stored: the start request failed after IVS accepted it).
                    return await RejectAsync(payload, $"unknown composition '{compositionId}' on stage '{stageId}'", cancellationToken, e);
                }

                await projection.ApplyAsync(e, cancellationToken);
                await MoveCompositionStateAsync(stored, e, cancellationToken);
                break;
        }

        return new IvsEventOutcome(e.IsUnknownEventName ? IvsEventDisposition.AppliedUnknownName : IvsEventDisposition.Applied,
            e.Id, e.Envelope.DetailType, e.EventNameText);
    }

    /// <summary>
    /// A batch of events (an SQS batch): the same result as <see cref="HandleAsync"/> on each of them, in any order,
    /// with fewer requests. Every stage of the batch is looked up once (<see cref="StageCache"/>), each projected item
    /// is written once (<see cref="IProjectionStore.ApplyBatchAsync"/>), and each stage's live session is recorded
    /// once, from its newest event. One outcome per payload, in order; an event whose write failed comes back
    /// <see cref="IvsEventDisposition.Failed"/> (to be retried alone), the others stand. Throws only when nothing of the
    /// batch could be decided (the stage lookup failed): then the whole batch is retried.
    /// </summary>
    public async Task<IReadOnlyList<IvsEventOutcome>> HandleBatchAsync(
        IReadOnlyList<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var outcomes = new IvsEventOutcome?[payloads.Count];
        var parsed = new ParsedIvsEvent?[payloads.Count];
        var rejections = new List<(int Index, string Reason)>();
        for (var i = 0; i < payloads.Count; i++)
        {
            if (IvsEventParser.TryParse(payloads[i].Span, out var e, out var reason))
            {
                parsed[i] = e;
            }
            else
            {
                rejections.Add((i, reason));
            }
        }

        var found = await _stageCache.FindManyAsync(
            [.. parsed.OfType<ParsedIvsEvent>().Select(StageIdOf).Distinct(StringComparer.Ordinal)], cancellationToken);
        var compositionEvents = new List<int>();
        for (var i = 0; i < parsed.Length; i++)
        {
            if (parsed[i] is not { } e)
            {
                continue;
            }

            if (!found.ContainsKey(StageIdOf(e)))
            {
                rejections.Add((i, $"unknown stage '{StageIdOf(e)}'"));
                parsed[i] = null;
            }
            else if (e.Detail is CompositionStateDetail)
            {
                compositionEvents.Add(i);
            }
        }

        var stored = await FindCompositionsAsync(parsed, compositionEvents, outcomes, rejections, cancellationToken);
        await Task.WhenAll(rejections.Select(async r =>
            outcomes[r.Index] = await TryAsync(payloads[r.Index], parsed[r.Index],
                () => RejectAsync(payloads[r.Index], r.Reason, cancellationToken, ParseQuietly(payloads[r.Index])))));

        var toProject = Enumerable.Range(0, parsed.Length).Where(i => parsed[i] is not null && outcomes[i] is null).ToList();
        var projected = await projection.ApplyBatchAsync([.. toProject.Select(i => parsed[i]!)], cancellationToken);
        var failed = projected.Failed;
        var applied = toProject.Where((_, j) => !failed.Contains(j)).ToList();
        foreach (var j in failed)
        {
            outcomes[toProject[j]] = Failed(parsed[toProject[j]]!, "projection write failed");
        }

        await SettleContestedPublishingAsync(projected.ContestedPublishing, applied, parsed, outcomes, cancellationToken);

        // Composition states, each composition's events in stamp order (as one-by-one delivery would have moved it).
        foreach (var group in applied.Where(i => parsed[i]!.Detail is CompositionStateDetail).GroupBy(i => parsed[i]!.ResourceArn))
        {
            foreach (var i in group.OrderBy(i => EventStamp.Of(parsed[i]!)))
            {
                outcomes[i] = await TryAsync(payloads[i], parsed[i], async () =>
                {
                    await MoveCompositionStateAsync(stored[parsed[i]!.ResourceArn], parsed[i]!, cancellationToken);
                    return Applied(parsed[i]!);
                });
            }
        }

        // Live sessions: newest observation wins, so each stage's newest event of the batch is the only one that can be news.
        var newestPerStage = applied.Where(i => parsed[i]!.Detail is StageUpdateDetail or ParticipantRecordingDetail)
            .GroupBy(i => StageIdOf(parsed[i]!)).Select(g => g.MaxBy(i => parsed[i]!.EventTime.UtcTicks)).ToList();
        await Task.WhenAll(newestPerStage.Select(async i =>
        {
            var e = parsed[i]!;
            var result = await TryAsync(payloads[i], e, async () =>
            {
                await _stageCache.RecordAsync(found[StageIdOf(e)], Projector.ParticipantKeyOf(e).SessionId, e.EventTime, cancellationToken);
                return Applied(e);
            });
            if (result.Disposition == IvsEventDisposition.Failed)
            {
                outcomes[i] = result;
            }
        }));

        return [.. outcomes.Select((o, i) => o ?? Applied(parsed[i]!))];
    }

    /// <summary>
    /// Asks IVS for the true latest publish state of each contested participant and applies it as a repair event (the
    /// reconciler's, <see cref="PublishStateEvents"/>): one <c>ListParticipantEvents</c> per contested participant, which only
    /// a stop and start within one second produces. When IVS cannot answer, the participant's publish events of the batch
    /// fail and come back; a redelivered event that had lost re-opens the question, one that had won does not (then the
    /// reconciler's periodic recheck of vouched publishers is what corrects it).
    /// </summary>
    private async Task SettleContestedPublishingAsync(IReadOnlyList<ParticipantKey> contested, List<int> applied,
        ParsedIvsEvent?[] parsed, IvsEventOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        if (participantEvents is null || contested.Count == 0)
        {
            return;
        }

        var publishEvents = applied.Where(i => PublishingTie.Claim(parsed[i]!) is not null)
            .ToLookup(i => Projector.ParticipantKeyOf(parsed[i]!));
        await Task.WhenAll(contested.Select(async key =>
        {
            var mine = publishEvents[key].ToList();
            if (mine.Count == 0)
            {
                return;
            }

            var e = parsed[mine[0]]!;
            try
            {
                var repair = await PublishStateEvents.LookUpAsync(participantEvents, e.ResourceArn, key.SessionId, key.ParticipantId,
                    (e.Detail as StageUpdateDetail)?.UserId, cancellationToken);
                if (repair is not null)
                {
                    await projection.ApplyAsync(repair, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                foreach (var i in mine)
                {
                    outcomes[i] = Failed(parsed[i]!, $"contested publish state not settled: {ex.GetType().Name}");
                }
            }
        }));
    }

    private async Task<Dictionary<string, Composition>> FindCompositionsAsync(ParsedIvsEvent?[] parsed, List<int> compositionEvents,
        IvsEventOutcome?[] outcomes, List<(int Index, string Reason)> rejections, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, Composition>(StringComparer.Ordinal);
        foreach (var group in compositionEvents.GroupBy(i => parsed[i]!.ResourceArn))
        {
            var e = parsed[group.First()]!;
            var stageId = StageIdOf(e);
            var compositionId = IvsEventParser.ResourceId(e.ResourceArn);
            Composition? composition;
            try
            {
                composition = await compositions.FindAsync(stageId, compositionId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                foreach (var i in group)
                {
                    outcomes[i] = Failed(parsed[i]!, "composition lookup failed");
                }

                continue;
            }

            if (composition is not null)
            {
                stored[e.ResourceArn] = composition;
                continue;
            }

            foreach (var i in group)
            {
                if (_time.GetUtcNow() - parsed[i]!.EventTime < CompositionStoreGrace)
                {
                    outcomes[i] = Failed(parsed[i]!, $"composition '{compositionId}' on stage '{stageId}' is not stored yet");
                }
                else
                {
                    rejections.Add((i, $"unknown composition '{compositionId}' on stage '{stageId}'"));
                    parsed[i] = null;
                }
            }
        }

        return stored;
    }

    /// <summary>One event's step of a batch: its failure is that event's alone.</summary>
    private static async Task<IvsEventOutcome> TryAsync(
        ReadOnlyMemory<byte> payload, ParsedIvsEvent? e, Func<Task<IvsEventOutcome>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var fallback = e ?? ParseQuietly(payload);
            return new IvsEventOutcome(IvsEventDisposition.Failed, fallback?.Id, fallback?.Envelope.DetailType, fallback?.EventNameText,
                ex.GetType().Name);
        }
    }

    private static ParsedIvsEvent? ParseQuietly(ReadOnlyMemory<byte> payload) =>
        IvsEventParser.TryParse(payload.Span, out var e, out _) ? e : null;

    private static string StageIdOf(ParsedIvsEvent e) =>
        IvsEventParser.ResourceId(e.Detail is CompositionStateDetail composition ? composition.StageArn! : e.ResourceArn);

    private static IvsEventOutcome Applied(ParsedIvsEvent e) =>
        new(e.IsUnknownEventName ? IvsEventDisposition.AppliedUnknownName : IvsEventDisposition.Applied, e.Id, e.Envelope.DetailType,
            e.EventNameText);

    private static IvsEventOutcome Failed(ParsedIvsEvent e, string reason) =>
        new(IvsEventDisposition.Failed, e.Id, e.Envelope.DetailType, e.EventNameText, reason);

    /// <summary>
    /// The app-facing lifecycle (STARTING → ACTIVE → STOPPING → STOPPED/FAILED): a start only promotes a composition
    /// still STARTING (a late start must not undo a requested stop); an end or failure is final, and the store refuses
    /// to leave a final state, so a late or replayed event can never revive a composition.
    /// </summary>
    private Task MoveCompositionStateAsync(Composition stored, ParsedIvsEvent e, CancellationToken cancellationToken)
    {
        var compositionId = IvsEventParser.ResourceId(e.ResourceArn);
        return e.EventName switch
        {
            IvsEventName.SessionStart when stored.State == "STARTING" =>
                compositions.SetStateAsync(stored.StageId, compositionId, "ACTIVE", null, cancellationToken),
            IvsEventName.SessionEnd => compositions.SetStateAsync(stored.StageId, compositionId, "STOPPED", e.EventTime, cancellationToken),
            IvsEventName.SessionFailure =>
                compositions.SetStateAsync(stored.StageId, compositionId, "FAILED", e.EventTime, cancellationToken),
            _ => Task.CompletedTask,
        };
    }

    private async Task<IvsEventOutcome> RejectAsync(
        ReadOnlyMemory<byte> payload, string reason, CancellationToken cancellationToken, ParsedIvsEvent? parsed = null)
    {
        var record = RejectedEvents.From(payload.Span, reason, _time.GetUtcNow());
        await rejected.StoreAsync(record, cancellationToken);
        return new IvsEventOutcome(IvsEventDisposition.Rejected, record.EventId, record.DetailType, parsed?.EventNameText, reason);
    }
}

/// <summary>An event for a composition whose item the API has not stored yet (see <see
/// cref="IvsEventService.CompositionStoreGrace"/>).</summary>
public sealed class CompositionNotStoredYetException(string message) : Exception(message);
