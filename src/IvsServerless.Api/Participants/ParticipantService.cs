using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Api.Stages;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Live;
using IvsServerless.Core.Participants;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Participants;

/// <summary>Kicks and bans (owner only), and the stage's ban list.</summary>
public sealed class ParticipantService(
    StageAccess access, IStageStore store, IParticipantControl ivs, ApiOptions options, IKickLog? kicks = null, TimeProvider? time = null)
{
    /// <summary>IVS limits the reason to 128 characters.</summary>
    public const int MaxReasonLength = 128;

    private readonly ParticipantRevoker _revoker = new(ivs);

    /// <summary>
    /// Kicks a participant (owner only). IVS revokes that participant: its token cannot join again, but the user may mint
    /// a new one — unless <see cref="DisconnectBody.Ban"/>: then the user is banned (no token, no exchange, removed from
    /// co-hosts and invitations) and every participant of theirs in the live session is disconnected too.
    /// </summary>
    public async Task DisconnectAsync(Caller caller, string stageId, string participantId, DisconnectBody body, CancellationToken ct)
    {
        if (body.Reason is { Length: > MaxReasonLength })
        {
            throw RequestValidationException.Field("reason", $"At most {MaxReasonLength} characters.");
        }

        var stage = await access.FindOwnedAsync(caller.UserId, stageId, ct);
        if (body.Ban != true)
        {
            await DisconnectOneAsync(stage, participantId, body.Reason, ct);
            return;
        }

        var participant = await _revoker.FindLiveParticipantAsync(stage.StageArn, participantId, ct) ?? throw ParticipantNotFound();
        if (string.IsNullOrEmpty(participant.UserId))
        {
            throw RequestValidationException.Field("ban", "This participant has no user id, so there is nobody to ban; disconnect it.");
        }

        if (stage.IsOwnedBy(participant.UserId))
        {
            throw RequestValidationException.Field("ban", "The stage owner cannot be banned.");
        }

        // Banned first, so no new token or exchange succeeds while the participants are being disconnected.
        await BanAsync(caller, stageId, participant.UserId, ct);
        if (participant.Connected)
        {
            await DisconnectOneAsync(stage, participantId, body.Reason, ct, missingIsFine: true);
        }

        await _revoker.DisconnectUsersAsync(stage.StageArn, [participant.UserId], body.Reason ?? ParticipantRevoker.RevokedReason, ct);
    }

    /// <summary>The stage's banned users (owner only), in user id order.</summary>
    public async Task<IReadOnlyList<string>> ListBansAsync(Caller caller, string stageId, CancellationToken ct)
    {
        var stage = await access.FindOwnedAsync(caller.UserId, stageId, ct);
        return [.. stage.BannedUserIds.Order(StringComparer.Ordinal)];
    }

    /// <summary>Lifts a ban (owner only); lifting one that does not exist is success too. The user is not re-invited.</summary>
    public Task LiftBanAsync(Caller caller, string stageId, string userId, CancellationToken ct) =>
        ChangeOwnedStageAsync(caller, stageId, current => current.WithoutBan(userId), ct);

    private Task BanAsync(Caller caller, string stageId, string userId, CancellationToken ct) =>
        ChangeOwnedStageAsync(caller, stageId, current => current.WithBan(userId) is not { } updated ? null
            : current.BannedUserIds.Count < Stage.MaxBannedUsers ? updated
            : throw new StateConflictException(
                "ban-limit-reached", $"A stage can ban at most {Stage.MaxBannedUsers} users; lift a ban first."),
            ct);

    /// <summary>Applies <paramref name="change"/> (null: nothing to change) to the owner's stage, again on the newer version
    /// after a concurrent write.</summary>
    private async Task ChangeOwnedStageAsync(Caller caller, string stageId, Func<Stage, Stage?> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await access.FindOwnedAsync(caller.UserId, stageId, ct);
            if (change(current) is not { } updated)
            {
                return;
            }

            try
            {
                await store.UpdateAsync(updated, ct);
                return;
            }
            catch (StageConflictException) when (attempt < options.ConflictRetries)
            {
                // Someone else wrote in between: apply our change to their version.
            }
        }
    }

    private async Task DisconnectOneAsync(
        Stage stage, string participantId, string? reason, CancellationToken ct, bool missingIsFine = false)
    {
        try
        {
            await ivs.DisconnectAsync(stage.StageArn, participantId, reason, ct);
        }
        catch (IvsResourceNotFoundException) when (missingIsFine)
        {
            // Left in between: the goal is reached.
        }
        catch (IvsResourceNotFoundException)
        {
            throw ParticipantNotFound();
        }

        // The kicked user hears of it over the live channel (docs/live-updates.md): IVS sends no event for a kick.
        if (kicks is not null)
        {
            await kicks.RecordAsync(
                stage.StageId, stage.ActiveSessionId, participantId, reason, (time ?? TimeProvider.System).GetUtcNow(), ct);
        }
    }

    private static NotFoundException ParticipantNotFound() =>
        new NotFoundException("participant-not-found", "The participant is not connected to this stage.");
}
