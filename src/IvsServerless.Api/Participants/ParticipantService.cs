using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Api.Stages;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Live;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Participants;

public sealed class ParticipantService(StageAccess access, IParticipantControl ivs, IKickLog? kicks = null, TimeProvider? time = null)
{
    /// <summary>IVS limits the reason to 128 characters.</summary>
    public const int MaxReasonLength = 128;

    /// <summary>Kicks a participant (owner only). Their token stays valid: they can rejoin until it expires.</summary>
    public async Task DisconnectAsync(Caller caller, string stageId, string participantId, DisconnectBody body, CancellationToken ct)
    {
        if (body.Reason is { Length: > MaxReasonLength })
        {
            throw RequestValidationException.Field("reason", $"At most {MaxReasonLength} characters.");
        }

        var stage = await access.FindOwnedAsync(caller.UserId, stageId, ct);
        try
        {
            await ivs.DisconnectAsync(stage.StageArn, participantId, body.Reason, ct);
        }
        catch (IvsResourceNotFoundException)
        {
            throw new NotFoundException("participant-not-found", "The participant is not connected to this stage.");
        }

        // The kicked user hears of it over the live channel (docs/live-updates.md): IVS sends no event for a kick.
        if (kicks is not null)
        {
            await kicks.RecordAsync(
                stage.StageId, stage.ActiveSessionId, participantId, body.Reason, (time ?? TimeProvider.System).GetUtcNow(), ct);
        }
    }
}
