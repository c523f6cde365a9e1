using IvsServerless.Core.Paging;

namespace IvsServerless.Core.Ivs;

/// <summary><c>ListParticipantEvents</c>: what IVS recorded for one participant of one session, newest first, paged.</summary>
public interface IParticipantEventHistory
{
    Task<Page<IvsParticipantEvent>> ListParticipantEventsAsync(string stageArn, string sessionId, string participantId, string? nextToken,
        CancellationToken cancellationToken);
}
