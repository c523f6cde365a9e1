using IvsServerless.Core.Paging;

namespace IvsServerless.Core.Ivs;

/// <summary>
/// What the reconciler asks IVS about the account's stages (stages, their sessions, participants and participant events)
/// and the two changes its idle-stage sweep makes (tag an orphan, delete an idle stage). Lists are paged with IVS page
/// tokens (<see cref="Page{T}.NextCursor"/>; null on the last page); IVS lists newest first.
/// </summary>
public interface IStageInventory : IParticipantEventHistory
{
    /// <summary><see cref="IvsInvalidRequestException"/> when IVS no longer accepts <paramref name="nextToken"/>.</summary>
    Task<Page<IvsStageSummary>> ListStagesAsync(string? nextToken, int pageSize, CancellationToken cancellationToken);

    /// <summary><see cref="IvsResourceNotFoundException"/> when the stage is gone.</summary>
    Task<IvsStage> GetStageAsync(string stageArn, CancellationToken cancellationToken);

    Task<Page<IvsStageSession>> ListStageSessionsAsync(string stageArn, string? nextToken, CancellationToken cancellationToken);

    Task<Page<IvsParticipant>> ListParticipantsAsync(
        string stageArn, string sessionId, string? nextToken, CancellationToken cancellationToken);

    /// <summary>Adds or overwrites these tags on the stage.</summary>
    Task TagStageAsync(string stageArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Deletes the stage; one already gone is success too. False when it was gone.</summary>
    Task<bool> DeleteStageIfExistsAsync(string stageArn, CancellationToken cancellationToken);
}

/// <summary>One session of a stage; <see cref="EndTime"/> is null while it is live.</summary>
public sealed record IvsStageSession(string? SessionId, DateTimeOffset? StartTime, DateTimeOffset? EndTime);

/// <summary>
/// A participant of a session as <c>ListParticipants</c> reports it. <see cref="Published"/> means "ever published in
/// this session"; <see cref="IsReplica"/> marks a participant replicated from another stage.
/// </summary>
public sealed record IvsParticipant(
    string? ParticipantId,
    string? UserId,
    bool Connected,
    DateTimeOffset? FirstJoinTime,
    bool Published,
    bool IsReplica = false);

/// <summary>One entry of <c>ListParticipantEvents</c>.</summary>
public sealed record IvsParticipantEvent(IvsParticipantEventName Name, DateTimeOffset? EventTime);

/// <summary>The participant event names of <c>ListParticipantEvents</c>; one this backend does not know is <see cref="Unknown"/>.</summary>
public enum IvsParticipantEventName
{
    Unknown,
    Joined,
    Left,
    PublishStarted,
    PublishStopped,
    SubscribeStarted,
    SubscribeStopped,
    PublishError,
    SubscribeError,
    JoinError,
    ReplicationStarted,
    ReplicationStopped,
    TokenExchanged,
}
