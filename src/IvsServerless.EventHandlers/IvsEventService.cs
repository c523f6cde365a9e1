using IvsServerless.Core.Compositions;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;
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
public sealed class IvsEventService(
    IProjectionStore projection,
    IStageStore stages,
    ICompositionStore compositions,
    IRejectedEventStore rejected,
    TimeProvider? time = null)
{
    /// <summary>
    /// The API stores a composition right after IVS accepts its start, so the composition's first events can arrive
    /// before its item. While an event is younger than this, an unknown composition is a transient failure: the
    /// invocation fails and Lambda retries it 1 and 2 minutes later (by then the item is there, or the event is old
    /// enough to be rejected as a composition not started through this backend).
    /// </summary>
    public static readonly TimeSpan CompositionStoreGrace = TimeSpan.FromSeconds(90);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

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
