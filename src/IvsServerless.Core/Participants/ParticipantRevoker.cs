using IvsServerless.Core.Ivs;
using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Participants;

/// <summary>
/// Ends access now rather than at token expiry: disconnects, in the stage's live session, every participant of users
/// who may no longer be there (banned, or removed from a private stage, or outside a stage made private). IVS revokes a
/// disconnected participant, so its token cannot join again; tokens minted earlier and never used still can until they
/// expire, which is why tokens are short-lived by default (docs/tokens-and-keys.md).
/// </summary>
public sealed class ParticipantRevoker(IParticipantControl ivs)
{
    /// <summary>The reason IVS passes on to a participant disconnected because access was revoked (at most 128 characters).</summary>
    public const string RevokedReason = "Your access to this stage was revoked.";

    /// <summary>A participant of the stage's live session; null when nobody is live or IVS does not know it.</summary>
    public async Task<IvsParticipant?> FindLiveParticipantAsync(string stageArn, string participantId, CancellationToken ct)
    {
        var sessionId = await ivs.ActiveSessionIdAsync(stageArn, ct);
        return sessionId is null ? null : await ivs.FindParticipantAsync(stageArn, sessionId, participantId, ct);
    }

    /// <summary>Disconnects every connected participant of these users in the live session; returns how many.</summary>
    public async Task<int> DisconnectUsersAsync(string stageArn, IReadOnlyCollection<string> userIds, string reason, CancellationToken ct)
    {
        if (userIds.Count == 0 || await ivs.ActiveSessionIdAsync(stageArn, ct) is not { } sessionId)
        {
            return 0;
        }

        var disconnected = 0;
        foreach (var userId in userIds)
        {
            string? next = null;
            do
            {
                var page = await ivs.ListLiveParticipantsAsync(stageArn, sessionId, userId, next, ct);
                foreach (var participant in page.Items.Where(p => p.Connected && p.UserId == userId))
                {
                    disconnected += await DisconnectAsync(stageArn, participant, reason, ct);
                }

                next = page.NextCursor;
            }
            while (next is not null);
        }

        return disconnected;
    }

    /// <summary>Disconnects every connected participant whose user may not join <paramref name="stage"/> any more.</summary>
    public async Task<int> DisconnectOutsidersAsync(Stage stage, string reason, CancellationToken ct)
    {
        if (await ivs.ActiveSessionIdAsync(stage.StageArn, ct) is not { } sessionId)
        {
            return 0;
        }

        var disconnected = 0;
        string? next = null;
        do
        {
            var page = await ivs.ListLiveParticipantsAsync(stage.StageArn, sessionId, null, next, ct);
            foreach (var participant in page.Items.Where(p => p.Connected && !stage.MayJoin(p.UserId ?? "")))
            {
                disconnected += await DisconnectAsync(stage.StageArn, participant, reason, ct);
            }

            next = page.NextCursor;
        }
        while (next is not null);

        return disconnected;
    }

    private async Task<int> DisconnectAsync(string stageArn, IvsParticipant participant, string reason, CancellationToken ct)
    {
        try
        {
            await ivs.DisconnectAsync(stageArn, participant.ParticipantId!, reason, ct);
            return 1;
        }
        catch (IvsResourceNotFoundException)
        {
            // Left in between: the goal is reached.
            return 0;
        }
    }
}
