using System.Collections.Concurrent;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;

namespace IvsServerless.Reconciler;

/// <summary>
/// The reconciler's IVS port with each operation behind its own token bucket. Counts calls per operation (by IVS
/// operation name) for the run report. Retries inside the typed client (on throttling / 5xx) are not counted again:
/// they only happen when IVS already pushed back.
/// </summary>
public sealed class ThrottledStageInventory(IStageInventory ivs, RateLimiter limiter) : IStageInventory
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>Calls per operation; the ghost walk and the stage loop count concurrently.</summary>
    public IReadOnlyDictionary<string, int> Calls => _calls;

    public Task<Page<IvsStageSummary>> ListStagesAsync(string? nextToken, int pageSize, CancellationToken cancellationToken) =>
        CallAsync("ListStages", () => ivs.ListStagesAsync(nextToken, pageSize, cancellationToken), cancellationToken);

    public Task<IvsStage> GetStageAsync(string stageArn, CancellationToken cancellationToken) =>
        CallAsync("GetStage", () => ivs.GetStageAsync(stageArn, cancellationToken), cancellationToken);

    public Task<Page<IvsParticipant>> ListParticipantsAsync(
        string stageArn, string sessionId, string? nextToken, CancellationToken cancellationToken) =>
        CallAsync(
            "ListParticipants", () => ivs.ListParticipantsAsync(stageArn, sessionId, nextToken, cancellationToken), cancellationToken);

    public Task<Page<IvsParticipantEvent>> ListParticipantEventsAsync(
        string stageArn, string sessionId, string participantId, string? nextToken,
        CancellationToken cancellationToken) =>
        CallAsync(
            "ListParticipantEvents", () => ivs.ListParticipantEventsAsync(stageArn, sessionId, participantId, nextToken, cancellationToken),
            cancellationToken);

    public Task<Page<IvsStageSession>> ListStageSessionsAsync(string stageArn, string? nextToken, CancellationToken cancellationToken) =>
        CallAsync("ListStageSessions", () => ivs.ListStageSessionsAsync(stageArn, nextToken, cancellationToken), cancellationToken);

    public Task<bool> DeleteStageIfExistsAsync(string stageArn, CancellationToken cancellationToken) =>
        CallAsync("DeleteStage", () => ivs.DeleteStageIfExistsAsync(stageArn, cancellationToken), cancellationToken);

    public Task TagStageAsync(string stageArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        CallAsync("TagResource", async () =>
        {
            await ivs.TagStageAsync(stageArn, tags, cancellationToken);
            return true;
        }, cancellationToken);

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call, CancellationToken ct)
    {
        await limiter.WaitAsync(operation, ct);
        _calls.AddOrUpdate(operation, 1, (_, count) => count + 1);
        return await call();
    }
}
