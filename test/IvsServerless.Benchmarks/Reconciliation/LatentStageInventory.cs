using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;

namespace IvsServerless.Benchmarks.Reconciliation;

/// <summary>
/// The reconciler's IVS port as the scale run sees it: each call takes <paramref name="latency"/> of simulated time (an IVS
/// round trip), then the real call to the emulator, during which the <see cref="SimulatedClock"/> does not move (the
/// emulator's own time is not IVS's).
/// </summary>
public sealed class LatentStageInventory(IStageInventory inner, SimulatedClock clock, TimeSpan latency) : IStageInventory
{
    public Task<Page<IvsStageSummary>> ListStagesAsync(string? nextToken, int pageSize, CancellationToken cancellationToken) =>
        CallAsync(() => inner.ListStagesAsync(nextToken, pageSize, cancellationToken), cancellationToken);

    public Task<IvsStage> GetStageAsync(string stageArn, CancellationToken cancellationToken) =>
        CallAsync(() => inner.GetStageAsync(stageArn, cancellationToken), cancellationToken);

    public Task<Page<IvsStageSession>> ListStageSessionsAsync(string stageArn, string? nextToken, CancellationToken cancellationToken) =>
        CallAsync(() => inner.ListStageSessionsAsync(stageArn, nextToken, cancellationToken), cancellationToken);

    public Task<Page<IvsParticipant>> ListParticipantsAsync(
        string stageArn, string sessionId, string? nextToken, CancellationToken cancellationToken) =>
        CallAsync(() => inner.ListParticipantsAsync(stageArn, sessionId, nextToken, cancellationToken), cancellationToken);

    public Task<Page<IvsParticipantEvent>> ListParticipantEventsAsync(
        string stageArn, string sessionId, string participantId, string? nextToken, CancellationToken cancellationToken) =>
        CallAsync(
            () => inner.ListParticipantEventsAsync(stageArn, sessionId, participantId, nextToken, cancellationToken), cancellationToken);

    public Task TagStageAsync(string stageArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            await inner.TagStageAsync(stageArn, tags, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteStageIfExistsAsync(string stageArn, CancellationToken cancellationToken) =>
        CallAsync(() => inner.DeleteStageIfExistsAsync(stageArn, cancellationToken), cancellationToken);

    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, clock, ct);
        }

        using (clock.Busy())
        {
            return await call();
        }
    }
}
