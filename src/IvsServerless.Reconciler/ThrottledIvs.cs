using IvsServerless.IvsRealTime;

namespace IvsServerless.Reconciler;

/// <summary>
/// The IVS operations the reconciler uses, each behind its own token bucket. Counts calls per operation for the
/// run report. Retries inside the typed client (on throttling / 5xx) are not counted again: they only happen when
/// IVS already pushed back.
/// </summary>
public sealed class ThrottledIvs(IIvsRealTimeClient ivs, RateLimiter limiter)
{
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Calls => _calls;

    public Task<ListStagesResponse> ListStagesAsync(string? nextToken, int pageSize, CancellationToken ct) =>
        CallAsync("ListStages", () => ivs.ListStagesAsync(new ListStagesRequest { NextToken = nextToken, MaxResults = pageSize }, ct), ct);

    public Task<GetStageResponse> GetStageAsync(string stageArn, CancellationToken ct) =>
        CallAsync("GetStage", () => ivs.GetStageAsync(new GetStageRequest { Arn = stageArn }, ct), ct);

    public Task<ListParticipantsResponse> ListParticipantsAsync(string stageArn, string sessionId, string? nextToken, CancellationToken ct) =>
        CallAsync("ListParticipants", () => ivs.ListParticipantsAsync(new ListParticipantsRequest
        {
            StageArn = stageArn,
            SessionId = sessionId,
            NextToken = nextToken,
            MaxResults = 100,
        }, ct), ct);

    public Task<ListParticipantEventsResponse> ListParticipantEventsAsync(string stageArn, string sessionId, string participantId, string? nextToken,
        CancellationToken ct) =>
        CallAsync("ListParticipantEvents", () => ivs.ListParticipantEventsAsync(new ListParticipantEventsRequest
        {
            StageArn = stageArn,
            SessionId = sessionId,
            ParticipantId = participantId,
            NextToken = nextToken,
            MaxResults = 100,
        }, ct), ct);

    public Task<ListStageSessionsResponse> ListStageSessionsAsync(string stageArn, string? nextToken, CancellationToken ct) =>
        CallAsync("ListStageSessions", () => ivs.ListStageSessionsAsync(new ListStageSessionsRequest
        {
            StageArn = stageArn,
            NextToken = nextToken,
            MaxResults = 100,
        }, ct), ct);

    public Task<bool> DeleteStageIfExistsAsync(string stageArn, CancellationToken ct) =>
        CallAsync("DeleteStage", () => ivs.DeleteStageIfExistsAsync(stageArn, ct), ct);

    public Task<TagResourceResponse> TagResourceAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        CallAsync("TagResource", () => ivs.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = tags }, ct), ct);

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call, CancellationToken ct)
    {
        await limiter.WaitAsync(operation, ct).ConfigureAwait(false);
        _calls[operation] = _calls.GetValueOrDefault(operation) + 1;
        return await call().ConfigureAwait(false);
    }
}
