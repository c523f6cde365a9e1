namespace IvsServerless.IvsRealTime;

public sealed record StartParticipantReplicationRequest
{
    public required string SourceStageArn { get; init; }
    public required string DestinationStageArn { get; init; }
    public required string ParticipantId { get; init; }

    /// <summary>0 to 300 (botocore); default 0.</summary>
    public int? ReconnectWindowSeconds { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

/// <summary>The output is only response headers; the body is empty.</summary>
public sealed record StartParticipantReplicationResponse;

public sealed record StopParticipantReplicationRequest
{
    public required string SourceStageArn { get; init; }
    public required string DestinationStageArn { get; init; }
    public required string ParticipantId { get; init; }
}

public sealed record StopParticipantReplicationResponse;

public sealed record ListParticipantReplicasRequest
{
    public required string SourceStageArn { get; init; }
    public required string ParticipantId { get; init; }
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListParticipantReplicasResponse
{
    public IReadOnlyList<ParticipantReplica> Replicas { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record ParticipantReplica
{
    public string SourceStageArn { get => field ?? ""; init; }
    public string ParticipantId { get => field ?? ""; init; }
    public string? SourceSessionId { get; init; }
    public string DestinationStageArn { get => field ?? ""; init; }
    public string? DestinationSessionId { get; init; }
    public ReplicationState? ReplicationState { get; init; }
}
