using IvsServerless.Core.Paging;

namespace IvsServerless.Core.Ivs;

/// <summary>
/// Acting on the participants of a stage's live session (the API's participant service and the revocations of
/// <see cref="Participants.ParticipantRevoker"/>): find them, disconnect them.
/// </summary>
public interface IParticipantControl
{
    /// <summary>
    /// Disconnects the participant. IVS revokes that participant: its token cannot join again (other tokens of the same
    /// user can, until they expire). <see cref="IvsResourceNotFoundException"/> when the participant (or stage) is not
    /// known to IVS.
    /// </summary>
    Task DisconnectAsync(string stageArn, string participantId, string? reason, CancellationToken cancellationToken);

    /// <summary>The stage's live session as IVS reports it now (<c>GetStage</c>); null when nobody is live.
    /// <see cref="IvsResourceNotFoundException"/> when the stage is gone.</summary>
    Task<string?> ActiveSessionIdAsync(string stageArn, CancellationToken cancellationToken);

    /// <summary>One participant of the session (<c>GetParticipant</c>); null when IVS does not know it.</summary>
    Task<IvsParticipant?> FindParticipantAsync(
        string stageArn, string sessionId, string participantId, CancellationToken cancellationToken);

    /// <summary>
    /// A page of the session's participants (<c>ListParticipants</c>): only <paramref name="userId"/>'s when given,
    /// otherwise only those connected (IVS filters by one criterion at a time).
    /// </summary>
    Task<Page<IvsParticipant>> ListLiveParticipantsAsync(
        string stageArn, string sessionId, string? userId, string? nextToken, CancellationToken cancellationToken);
}
