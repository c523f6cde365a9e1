using System.Globalization;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>
/// GetStageSession, ListStageSessions, GetParticipant, ListParticipants, ListParticipantEvents and
/// DisconnectParticipant. Sessions and participants come from the simulation surface (or replication):
/// a stage nobody joined has no sessions.
/// </summary>
public static class SessionOperations
{
    private static readonly string[] ParticipantStateValues = [ParticipantStates.Connected, ParticipantStates.Disconnected];

    private static readonly string[] RecordingFilterValues =
        [RecordingStates.Starting, RecordingStates.Active, RecordingStates.Stopping, RecordingStates.Stopped, RecordingStates.Failed];

    public static void Register(OperationTable table)
    {
        table.Add("GetStageSession", GetStageSession);
        table.Add("ListStageSessions", ListStageSessions);
        table.Add("GetParticipant", GetParticipant);
        table.Add("ListParticipants", ListParticipants);
        table.Add("ListParticipantEvents", ListParticipantEvents);
        table.Add("DisconnectParticipant", DisconnectParticipant);
    }

    /// <summary>DeleteStage: replications from or into the stage end, then everyone leaves (events as for a
    /// leave: PUBLISH_STOPPED and Participant Unpublished for publishers, LEFT) and the session ends.</summary>
    public static void DisconnectEveryone(OperationContext context, StageRecord stage)
    {
        ReplicationOperations.StopAllInvolving(context, stage.Arn);
        if (stage.ActiveSession is { } session)
        {
            foreach (var participant in session.Connected.ToList())
            {
                ParticipantLifecycle.Leave(context, stage, session, participant);
            }
        }
    }

    private static object GetStageSession(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "stageArn");
        var sessionId = ReadSessionId(input);
        input.ThrowIfInvalid();

        var session = FindSession(StageOperations.Find(context, stageArn!), sessionId!);
        return new { stageSession = ToSession(session) };
    }

    /// <summary>Newest session first (the order the service lists them in; the AWS CLI examples show one session).</summary>
    private static object ListStageSessions(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "stageArn");
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 50);
        input.ThrowIfInvalid();

        // No ResourceNotFoundException is modeled for the List* session operations: unknown → empty.
        var sessions = context.State.Stages.GetValueOrDefault(stageArn!)?.Sessions ?? [];
        var page = context.Pages.Paginate("ListStageSessions", NewestFirst(sessions), x => x.Key, nextToken, maxResults);
        return new { stageSessions = page.Items.Select(x => ToSession(x.Item)), nextToken = page.NextToken };
    }

    private static object GetParticipant(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "stageArn");
        var sessionId = ReadSessionId(input);
        var participantId = ReplicationOperations.ReadParticipantId(input, "participantId");
        input.ThrowIfInvalid();

        var session = FindSession(StageOperations.Find(context, stageArn!), sessionId!);
        var participant = session.Participants.GetValueOrDefault(participantId!)
            ?? throw IvsException.NotFound($"Participant {participantId} not found in session {sessionId}");
        return new { participant = ToParticipant(participant) };
    }

    /// <summary>In join order. At most one filterBy* member may be given.</summary>
    private static object ListParticipants(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "stageArn");
        var sessionId = ReadSessionId(input);
        var byUserId = input.String("filterByUserId", max: 128);
        var byPublished = input.Bool("filterByPublished");
        var byState = input.Enum("filterByState", ParticipantStateValues);
        var byRecordingState = input.Enum("filterByRecordingState", RecordingFilterValues);
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 50);
        var filters = new object?[] { byUserId, byPublished, byState, byRecordingState }.Count(f => f is not null);
        if (filters > 1)
        {
            input.Fail("filterByUserId", null,
                "Only one of filterByUserId, filterByPublished, filterByState and filterByRecordingState may be specified");
        }

        input.ThrowIfInvalid();

        var session = context.State.Stages.GetValueOrDefault(stageArn!)?.Sessions.FirstOrDefault(s => s.SessionId == sessionId);
        var participants = (session?.Participants.Values ?? Enumerable.Empty<ParticipantRecord>())
            .Select((participant, index) => (Item: participant, Key: OrderKey(index)))
            .Where(x => (byUserId is null || x.Item.UserId == byUserId)
                && (byPublished is null || x.Item.Published == byPublished)
                && (byState is null || x.Item.State == byState)
                && (byRecordingState is null || x.Item.RecordingState == byRecordingState));
        var page = context.Pages.Paginate("ListParticipants", participants, x => x.Key, nextToken, maxResults);
        return new { participants = page.Items.Select(x => ToParticipantSummary(x.Item)), nextToken = page.NextToken };
    }

    /// <summary>
    /// Newest event first: the AWS CLI example (awscli/examples/ivs-realtime/list-participant-events.rst) lists
    /// LEFT and PUBLISH_STOPPED before JOINED and PUBLISH_STARTED. Unknown session or participant → empty.
    /// </summary>
    private static object ListParticipantEvents(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "stageArn");
        var sessionId = ReadSessionId(input);
        var participantId = ReplicationOperations.ReadParticipantId(input, "participantId");
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 50);
        input.ThrowIfInvalid();

        var events = context.State.Stages.GetValueOrDefault(stageArn!)?.Sessions.FirstOrDefault(s => s.SessionId == sessionId)?
            .Participants.GetValueOrDefault(participantId!)?.Events ?? [];
        var page = context.Pages.Paginate("ListParticipantEvents", NewestFirst(events), x => x.Key, nextToken, maxResults);
        return new
        {
            events = page.Items.Select(x => new
            {
                name = x.Item.Name,
                participantId = x.Item.ParticipantId,
                eventTime = x.Item.EventTime,
                remoteParticipantId = x.Item.RemoteParticipantId,
                errorCode = x.Item.ErrorCode,
                destinationStageArn = x.Item.DestinationStageArn,
                destinationSessionId = x.Item.DestinationSessionId,
                replica = x.Item.Replica,
            }),
            nextToken = page.NextToken,
        };
    }

    /// <summary>
    /// The participant leaves as if it had left itself (PUBLISH_STOPPED / Participant Unpublished if it was
    /// publishing, LEFT; the session ends if it was the last one), and is revoked: IVS documents that
    /// DisconnectParticipant "revokes the participant permanently from a specified stage", so the same
    /// participant id cannot join the stage again. 404 when no such participant is connected.
    /// </summary>
    private static object DisconnectParticipant(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "stageArn");
        var participantId = input.String(
            "participantId", required: true, max: 64, pattern: Patterns.Name(), patternText: Patterns.ResourceName);
        input.String("reason", max: 128);
        input.ThrowIfInvalid();

        var stage = StageOperations.Find(context, stageArn!);
        if (stage.ActiveSession is not { } session
            || session.Participants.GetValueOrDefault(participantId!) is not { State: ParticipantStates.Connected } participant)
        {
            throw IvsException.NotFound($"Participant {participantId} is not connected to stage {stageArn}");
        }

        context.State.RevokedParticipants.Add((stage.Arn, participant.ParticipantId));
        ParticipantLifecycle.Leave(context, stage, session, participant);
        return EmptyResponse.Instance;
    }

    /// <summary>The <c>Participant</c> structure (GetParticipant).</summary>
    public static object ToParticipant(ParticipantRecord p) => new
    {
        participantId = p.ParticipantId,
        userId = p.UserId ?? "",
        state = p.State,
        firstJoinTime = p.FirstJoinTime,
        attributes = p.Attributes,
        published = p.Published,
        ispName = p.IspName,
        osName = p.OsName,
        osVersion = p.OsVersion,
        browserName = p.BrowserName,
        browserVersion = p.BrowserVersion,
        sdkVersion = p.SdkVersion,
        // The IVS model: "" (empty string), not absent, when the participant is not recorded.
        recordingS3BucketName = p.RecordingS3BucketName ?? "",
        recordingS3Prefix = p.RecordingS3Prefix ?? "",
        recordingState = p.RecordingState,
        protocol = p.Protocol,
        replicationType = p.ReplicationType,
        replicationState = p.ReplicationState,
        sourceStageArn = p.SourceStageArn,
        sourceSessionId = p.SourceSessionId,
        ingestConfigurationArn = p.IngestConfigurationArn,
    };

    /// <summary>The <c>ParticipantSummary</c> structure (ListParticipants).</summary>
    public static object ToParticipantSummary(ParticipantRecord p) => new
    {
        participantId = p.ParticipantId,
        userId = p.UserId ?? "",
        state = p.State,
        firstJoinTime = p.FirstJoinTime,
        published = p.Published,
        recordingState = p.RecordingState,
        replicationType = p.ReplicationType,
        replicationState = p.ReplicationState,
        sourceStageArn = p.SourceStageArn,
        sourceSessionId = p.SourceSessionId,
        ingestConfigurationArn = p.IngestConfigurationArn,
    };

    private static object ToSession(StageSessionRecord session) =>
        new { sessionId = session.SessionId, startTime = session.StartTime, endTime = session.EndTime };

    private static StageSessionRecord FindSession(StageRecord stage, string sessionId) =>
        stage.Sessions.FirstOrDefault(s => s.SessionId == sessionId)
        ?? throw IvsException.NotFound($"Session {sessionId} not found in stage {stage.Arn}");

    private static string? ReadSessionId(RequestReader input) =>
        input.String("sessionId", required: true, min: 16, max: 16, pattern: Patterns.SessionId(), patternText: "st-[a-zA-Z0-9]+");

    /// <summary>A pagination key that sorts like the position in an append-only list.</summary>
    public static string OrderKey(int index) => index.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>Keys that sort the newest (last appended) item first and stay stable while the list grows.</summary>
    private static IEnumerable<(T Item, string Key)> NewestFirst<T>(IEnumerable<T> oldestFirst) =>
        oldestFirst.Select((item, index) => (item, OrderKey(int.MaxValue - index)));
}
