namespace IvsServerless.IvsRealTime;

public sealed record ListStageSessionsRequest
{
    public required string StageArn { get; init; }
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListStageSessionsResponse
{
    public IReadOnlyList<StageSessionSummary> StageSessions { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record GetStageSessionRequest
{
    public required string StageArn { get; init; }
    public required string SessionId { get; init; }
}

public sealed record GetStageSessionResponse
{
    public StageSession? StageSession { get; init; }
}

public sealed record StageSession
{
    public string? SessionId { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
}

public sealed record StageSessionSummary
{
    public string? SessionId { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
}
