using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Participants;
using IvsServerless.Core.Quotas;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Storage;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Stages;

public sealed class StageService(
    IStageStore store,
    ICompositionStore compositions,
    IStageProvisioning ivs,
    StageAccess access,
    UserQuotas quotas,
    ApiOptions options,
    TimeProvider time,
    ParticipantRevoker revoker)
{
    public const string OwnerTag = StageTags.Owner;
    public const string ManagedByTag = StageTags.ManagedBy;

    public async Task<Stage> CreateAsync(Caller caller, CreateStageBody body, CancellationToken ct)
    {
        var input = new StageInput();
        var name = input.Name(body.Name, required: true);
        var visibility = input.Visibility(body.Visibility, required: true);
        var coHosts = input.UserIds("coHostIds", body.CoHostIds, Stage.MaxCoHosts, caller.UserId);
        var invited = input.UserIds("invitedUserIds", body.InvitedUserIds, Stage.MaxInvitedUsers, caller.UserId);
        var (_, recording) = input.Recording(body.Recording);
        input.ThrowIfInvalid();

        var target = TargetOf(recording);
        var claim = await quotas.ClaimStageAsync(caller.UserId, ct);
        IvsStage created;
        try
        {
            created = await ivs.CreateStageAsync(name!,
                new Dictionary<string, string> { [OwnerTag] = caller.UserId, [ManagedByTag] = options.DeploymentTag }, target, ct);
        }
        catch (IvsServiceException)
        {
            // IVS answered with a refusal: no stage was made, so the slot is free again.
            await quotas.ReleaseStageAsync(caller.UserId, claim, CancellationToken.None);
            throw;
        }

        var arn = created.Arn;

        var stage = new Stage(IdOf(arn), arn, name!, caller.UserId, visibility!.Value,
            coHosts ?? new HashSet<string>(), invited ?? new HashSet<string>(), time.GetUtcNow(),
            Endpoints: created.Endpoints, Recording: recording);
        try
        {
            await store.AddAsync(stage, ct);
        }
        catch
        {
            // A failed write may still have been applied (its response lost): look before taking the IVS stage back,
            // as an IVS stage deleted under its own record would leave a ghost that lists and reads as live.
            switch (await RecordStateAsync(stage))
            {
                case RecordState.Stored:
                    await ConfirmBestEffortAsync(caller.UserId, claim, stage.StageId);
                    return stage;
                case RecordState.Absent:
                    await quotas.ReleaseStageAsync(caller.UserId, claim, CancellationToken.None);
                    break;
            }

            throw;
        }

        await ConfirmBestEffortAsync(caller.UserId, claim, stage.StageId);
        return stage;
    }

    /// <summary>
    /// The record is stored, so the stage exists and the answer is 201 whatever this write does: failing the request here
    /// would make the client retry into a second stage. A claim left unconfirmed still holds the slot, then stops counting
    /// after <see cref="UserQuotas.PendingLifetime"/>. Not cancellable: the stage is made, its claim should follow.
    /// </summary>
    private async Task ConfirmBestEffortAsync(string ownerId, string claim, string stageId)
    {
        try
        {
            await quotas.ConfirmStageAsync(ownerId, claim, stageId, CancellationToken.None);
        }
        catch (Exception e) when (e is StoreUnavailableException or HttpRequestException or IOException or TimeoutException)
        {
            // Left pending: see above.
        }
    }

    public async Task<Page<Stage>> ListAsync(Caller caller, string? scope, string? cursor, string? limit, CancellationToken ct)
    {
        var size = PageRequest.DefaultLimit;
        if (limit is not null
            && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size)
            || size is < 1 or > PageRequest.MaxLimit))
        {
            throw RequestValidationException.Field("limit", $"An integer from 1 to {PageRequest.MaxLimit}.");
        }

        if (cursor is { Length: 0 or > 2048 })
        {
            // Empty or longer than any cursor this API issues: the same answer as any other bad cursor.
            throw new InvalidCursorException("The cursor is empty or too long.");
        }

        var page = new PageRequest(cursor, size);
        var result = scope switch
        {
            null or "mine" => await store.ListOwnedByAsync(caller.UserId, page, ct),
            "live" => await store.ListLivePublicAsync(page, ct),
            _ => throw RequestValidationException.Field("scope", "Must be \"mine\" or \"live\"."),
        };

        // Defence in depth: a store bug must not leak someone's private or deleted stage into a list.
        return result with { Items = [.. result.Items.Where(s => !s.Deleted && s.IsVisibleTo(caller.UserId))] };
    }

    public async Task<(Stage Stage, IReadOnlyList<Composition> Compositions)> GetAsync(Caller caller, string stageId, CancellationToken ct)
    {
        var stage = await access.FindVisibleAsync(caller.UserId, stageId, ct);
        var list = await compositions.ListForStageAsync(stageId, ct);
        return (stage, list);
    }

    public async Task<Stage> UpdateAsync(Caller caller, string stageId, UpdateStageBody body, CancellationToken ct)
    {
        var input = new StageInput();
        var name = input.Name(body.Name, required: false);
        var visibility = input.Visibility(body.Visibility, required: false);
        var coHosts = input.UserIds("coHostIds", body.CoHostIds, Stage.MaxCoHosts, caller.UserId);
        var invited = input.UserIds("invitedUserIds", body.InvitedUserIds, Stage.MaxInvitedUsers, caller.UserId);
        var (recordingGiven, recording) = input.Recording(body.Recording);
        input.ThrowIfInvalid();

        for (var attempt = 0; ; attempt++)
        {
            var current = await access.FindOwnedAsync(caller.UserId, stageId, ct);
            var updated = current with
            {
                Name = name ?? current.Name,
                Visibility = visibility ?? current.Visibility,
                CoHostIds = coHosts ?? current.CoHostIds,
                InvitedUserIds = invited ?? current.InvitedUserIds,
                Recording = recordingGiven ? recording : current.Recording,
                Version = current.Version + 1,
            };
            if (updated.CoHostIds.Concat(updated.InvitedUserIds).FirstOrDefault(updated.IsBanned) is { } banned)
            {
                var field = updated.CoHostIds.Contains(banned) ? "coHostIds" : "invitedUserIds";
                throw RequestValidationException.Field(field, $"'{banned}' is banned from this stage; lift the ban first.");
            }

            if (updated.Name != current.Name)
            {
                // Renaming first keeps the IVS console in step; it is idempotent, so a retry may repeat it.
                await ivs.RenameStageAsync(current.StageArn, updated.Name, ct);
            }

            if (!Equals(updated.Recording, current.Recording))
            {
                // Like the name, IVS first: the stored setting never claims a recording IVS refused.
                await SetRecordingAsync(current.StageArn, updated.Recording, ct);
            }

            try
            {
                await store.UpdateAsync(updated, ct);
            }
            catch (StageConflictException) when (attempt < options.ConflictRetries)
            {
                // Someone else wrote in between: apply our change to their version.
                continue;
            }

            await RevokeAsync(body, updated, ct);
            return updated;
        }
    }

    /// <summary>
    /// Access ends now, not at token expiry: on a private stage, after a change of visibility, co-hosts or invitations,
    /// every participant of a user who may not join any more (removed, or outside a stage made private) is disconnected
    /// from the live session. Sweeping all outsiders (not only the users just removed) makes the revocation idempotent: if
    /// IVS fails half-way, repeating the same PATCH completes it. A co-host removed who may still watch (a public stage,
    /// or still invited) keeps their participant: their next exchange is subscribe-only (docs/tokens-and-keys.md).
    /// </summary>
    private async Task RevokeAsync(UpdateStageBody body, Stage after, CancellationToken ct)
    {
        if (after.Visibility == StageVisibility.Private
            && (body.Visibility is not null || body.CoHostIds is not null || body.InvitedUserIds is not null))
        {
            await revoker.DisconnectOutsidersAsync(after, ParticipantRevoker.RevokedReason, ct);
        }
    }

    public Task DeleteAsync(Caller caller, string stageId, CancellationToken ct) =>
        store.DeleteAsync(
            async token => await access.FindOwnedAsync(caller.UserId, stageId, token, includeDeleted: true),
            async (stage, token) =>
            {
                // Already gone (an earlier attempt, or deleted outside this API) reaches the goal too.
                await ivs.DeleteStageIfExistsAsync(stage.StageArn, token);

                // Deleting the stage ended its compositions, and the reconciler no longer looks at a deleted stage: one
                // left STARTING or STOPPING (e.g. stopped before its session began, so no event ends it) would stay so and
                // keep counting against its owner's concurrent compositions. Before the record is marked, so a retry redoes it.
                foreach (var composition in await compositions.ListForStageAsync(stage.StageId, token))
                {
                    if (!Composition.IsFinished(composition.State))
                    {
                        await compositions.SetStateAsync(stage.StageId, composition.CompositionId, "STOPPED", time.GetUtcNow(), token);
                    }
                }

                return true;
            },
            options.ConflictRetries,
            ct);

    public static string IdOf(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    /// <summary>Recording needs the deployment's storage configuration; without one, asking for it is 503 like compositions.</summary>
    private RecordingTarget? TargetOf(StageRecording? recording) =>
        recording is null ? null
        : options.RecordingStorageConfigurationArn is { } storage ? new RecordingTarget(storage, recording)
        : throw new ServiceUnavailableException("recordings-not-configured", "Recording is not configured for this deployment.");

    private async Task SetRecordingAsync(string stageArn, StageRecording? recording, CancellationToken ct)
    {
        try
        {
            await ivs.SetRecordingAsync(stageArn, TargetOf(recording), ct);
        }
        catch (IvsConflictException)
        {
            throw new StateConflictException("recording-active",
                "The recording setting cannot change while participants are being recorded; retry once they stop publishing.");
        }
    }

    /// <summary>
    /// Whether the record of a create whose write failed exists after all. Only when the store says for certain that
    /// it does not is the IVS stage taken back; when the store cannot say, the stage keeps its managed-by tag and the
    /// reconciler settles it (an IVS stage without a record is swept, a record without an IVS stage is marked deleted).
    /// The caller's token may be cancelled already, and this must still run.
    /// </summary>
    private async Task<RecordState> RecordStateAsync(Stage stage)
    {
        Stage? stored;
        try
        {
            stored = await store.FindAsync(stage.StageId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return RecordState.Unknown;
        }

        if (stored is null)
        {
            await CompensateAsync(stage.StageArn);
            return RecordState.Absent;
        }

        return stored.IsRecordOf(stage) ? RecordState.Stored : RecordState.Unknown;
    }

    private enum RecordState
    {
        Absent,
        Stored,
        Unknown,
    }

    private async Task CompensateAsync(string arn)
    {
        try
        {
            await ivs.DeleteStageIfExistsAsync(arn, CancellationToken.None);
        }
        catch (Exception e) when (e is IvsServiceException or HttpRequestException)
        {
            // The stage keeps its managed-by tag, so the reconciler's sweep can still find and remove it;
            // the original failure is the one worth reporting.
        }
    }
}
