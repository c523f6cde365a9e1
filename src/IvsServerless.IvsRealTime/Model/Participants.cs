namespace IvsServerless.IvsRealTime;

public sealed record ListParticipantsRequest
{
    public required string StageArn { get; init; }
    public required string SessionId { get; init; }

    // IVS accepts at most one filterBy* member per request.
    public string? FilterByUserId { get; init; }
    public bool? FilterByPublished { get; init; }
    public ParticipantState? FilterByState { get; init; }
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
    public ParticipantRecordingFilterByRecordingState? FilterByRecordingState { get; init; }
}

public sealed record ListParticipantsResponse
{
    public IReadOnlyList<ParticipantSummary> Participants { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record GetParticipantRequest
{
    public required string StageArn { get; init; }
    public required string SessionId { get; init; }
    public required string ParticipantId { get; init; }
}

public sealed record GetParticipantResponse
{
    public Participant? Participant { get; init; }
}

public sealed record ListParticipantEventsRequest
{
    public required string StageArn { get; init; }
    public required string SessionId { get; init; }
    public required string ParticipantId { get; init; }
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListParticipantEventsResponse
{
    public IReadOnlyList<Event> Events { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record Participant
{
    public string? ParticipantId { get; init; }
    public string? UserId { get; init; }
    public ParticipantState? State { get; init; }
    public DateTimeOffset? FirstJoinTime { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public bool? Published { get; init; }
    public string? IspName { get; init; }
    public string? OsName { get; init; }
    public string? OsVersion { get; init; }
    public string? BrowserName { get; init; }
    public string? BrowserVersion { get; init; }
    public string? SdkVersion { get; init; }
    public string? RecordingS3BucketName { get; init; }
    public string? RecordingS3Prefix { get; init; }
    public ParticipantRecordingState? RecordingState { get; init; }
    public ParticipantProtocol? Protocol { get; init; }
    public ReplicationType? ReplicationType { get; init; }
    public ReplicationState? ReplicationState { get; init; }
    public string? SourceStageArn { get; init; }
    public string? SourceSessionId { get; init; }
    public bool? RedundantIngest { get; init; }
    public string? IngestConfigurationArn { get; init; }
}

public sealed record ParticipantSummary
{
    public string? ParticipantId { get; init; }
    public string? UserId { get; init; }
    public ParticipantState? State { get; init; }
    public DateTimeOffset? FirstJoinTime { get; init; }
    public bool? Published { get; init; }
    public ParticipantRecordingState? RecordingState { get; init; }
    public ReplicationType? ReplicationType { get; init; }
    public ReplicationState? ReplicationState { get; init; }
    public string? SourceStageArn { get; init; }
    public string? SourceSessionId { get; init; }
    public bool? RedundantIngest { get; init; }
    public string? IngestConfigurationArn { get; init; }
}

/// <summary>One entry of ListParticipantEvents (the model calls this shape <c>Event</c>).</summary>
public sealed record Event
{
    public EventName? Name { get; init; }
    public string? ParticipantId { get; init; }
    public DateTimeOffset? EventTime { get; init; }
    public string? RemoteParticipantId { get; init; }
    public EventErrorCode? ErrorCode { get; init; }
    public string? DestinationStageArn { get; init; }
    public string? DestinationSessionId { get; init; }
    public bool? Replica { get; init; }
    public ExchangedParticipantToken? PreviousToken { get; init; }
    public ExchangedParticipantToken? NewToken { get; init; }
}

public sealed record ExchangedParticipantToken
{
    public IReadOnlyList<ParticipantTokenCapability>? Capabilities { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public string? UserId { get; init; }
    public DateTimeOffset? ExpirationTime { get; init; }
}
