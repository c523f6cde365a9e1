using System.Globalization;
using IvsServerless.Core.Stages;
using IvsServerless.IvsRealTime;

namespace IvsServerless.Reconciler.Tests.Fakes;

/// <summary>
/// An in-memory IVS with just the operations the reconciler uses. Records when each call arrived (on the test's
/// clock) so tests can check the call rate; lists newest first like IVS; pages with plain index tokens.
/// </summary>
public sealed class FakeIvs(TimeProvider time) : UnsupportedIvs
{
    public const string Region = "us-east-1";
    public const string Account = "123456789012";

    private readonly Lock _lock = new();

    public List<FakeStage> Stages { get; } = [];

    public List<(string Operation, DateTimeOffset At, string Target)> Calls { get; } = [];

    public int StagesPageLimit { get; set; } = 100;

    /// <summary>Tokens handed out before this moment are refused (as an expired IVS token would be).</summary>
    public HashSet<string> RefusedTokens { get; } = [];

    public static string ArnOf(string stageId) => $"arn:aws:ivs:{Region}:{Account}:stage/{stageId}";

    public FakeStage AddStage(string stageId, string? deploymentTag)
    {
        var stage = new FakeStage(ArnOf(stageId));
        if (deploymentTag is not null)
        {
            stage.Tags[StageTags.ManagedBy] = deploymentTag;
        }

        Stages.Add(stage);
        return stage;
    }

    public FakeStage Stage(string stageId) => Stages.Single(s => s.Arn == ArnOf(stageId));

    public int CallsOf(string operation) => Calls.Count(c => c.Operation == operation);

    public override Task<ListStagesResponse> ListStagesAsync(ListStagesRequest request, CancellationToken cancellationToken = default)
    {
        Record("ListStages");
        if (request.NextToken is { } refused && RefusedTokens.Contains(refused))
        {
            throw new ValidationException("The next token is invalid.");
        }

        var start = request.NextToken is null ? 0 : int.Parse(request.NextToken, CultureInfo.InvariantCulture);
        var size = Math.Min(request.MaxResults ?? 100, StagesPageLimit);
        var page = Stages.Skip(start).Take(size).Select(s => new StageSummary
        {
            Arn = s.Arn,
            ActiveSessionId = s.ActiveSession?.Id,
            Tags = new Dictionary<string, string>(s.Tags),
        }).ToList();
        var next = start + size < Stages.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new ListStagesResponse { Stages = page, NextToken = next });
    }

    public override Task<GetStageResponse> GetStageAsync(GetStageRequest request, CancellationToken cancellationToken = default)
    {
        Record("GetStage", request.Arn);
        var stage = Find(request.Arn);
        return Task.FromResult(new GetStageResponse { Stage = new IvsServerless.IvsRealTime.Stage { Arn = stage.Arn, ActiveSessionId = stage.ActiveSession?.Id } });
    }

    public override Task<DeleteStageResponse> DeleteStageAsync(DeleteStageRequest request, CancellationToken cancellationToken = default)
    {
        Record("DeleteStage", request.Arn);
        var stage = Find(request.Arn);
        Stages.Remove(stage);
        Deleted.Add(stage.Arn);
        return Task.FromResult(new DeleteStageResponse());
    }

    public List<string> Deleted { get; } = [];

    public override Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        Record("TagResource", request.ResourceArn);
        var stage = Find(request.ResourceArn);
        foreach (var (key, value) in request.Tags)
        {
            stage.Tags[key] = value;
        }

        return Task.FromResult(new TagResourceResponse());
    }

    public override Task<ListStageSessionsResponse> ListStageSessionsAsync(ListStageSessionsRequest request, CancellationToken cancellationToken = default)
    {
        Record("ListStageSessions", request.StageArn);
        var stage = Find(request.StageArn);
        return Task.FromResult(new ListStageSessionsResponse
        {
            StageSessions = [.. Enumerable.Reverse(stage.Sessions).Select(s => new StageSessionSummary { SessionId = s.Id, StartTime = s.Start, EndTime = s.End })],
        });
    }

    public override Task<ListParticipantsResponse> ListParticipantsAsync(ListParticipantsRequest request, CancellationToken cancellationToken = default)
    {
        Record("ListParticipants", request.StageArn);
        var session = Find(request.StageArn).Sessions.Single(s => s.Id == request.SessionId);
        return Task.FromResult(new ListParticipantsResponse
        {
            Participants = [.. session.Participants.Select(p => new ParticipantSummary
            {
                ParticipantId = p.Id,
                UserId = p.UserId,
                State = p.Connected ? ParticipantState.Connected : ParticipantState.Disconnected,
                FirstJoinTime = p.FirstJoinTime,
                Published = p.PublishedEver,
            })],
        });
    }

    public override Task<ListParticipantEventsResponse> ListParticipantEventsAsync(ListParticipantEventsRequest request,
        CancellationToken cancellationToken = default)
    {
        Record("ListParticipantEvents", request.StageArn);
        var participant = Find(request.StageArn).Sessions.Single(s => s.Id == request.SessionId).Participants.Single(p => p.Id == request.ParticipantId);
        return Task.FromResult(new ListParticipantEventsResponse { Events = [.. participant.EventsNewestFirst] });
    }

    private FakeStage Find(string arn) =>
        Stages.SingleOrDefault(s => s.Arn == arn) ?? throw new ResourceNotFoundException("Stage not found.");

    /// <summary>Runs before each call is answered: lets a test change the world between two calls of a pass.</summary>
    public Action<string, string>? BeforeAnswer { get; set; }

    private void Record(string operation, string target = "")
    {
        lock (_lock)
        {
            Calls.Add((operation, time.GetUtcNow(), target));
        }

        BeforeAnswer?.Invoke(operation, target);
    }
}

public sealed class FakeStage(string arn)
{
    public string Arn { get; } = arn;

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public List<FakeSession> Sessions { get; } = [];

    public FakeSession? ActiveSession => Sessions.LastOrDefault(s => s.End is null);

    public FakeSession StartSession(string sessionId, DateTimeOffset at)
    {
        var session = new FakeSession(sessionId, at);
        Sessions.Add(session);
        return session;
    }
}

public sealed class FakeSession(string id, DateTimeOffset start)
{
    public string Id { get; } = id;
    public DateTimeOffset Start { get; } = start;
    public DateTimeOffset? End { get; set; }
    public List<FakeParticipant> Participants { get; } = [];

    public FakeParticipant Join(string participantId, string userId, DateTimeOffset at)
    {
        var participant = new FakeParticipant(participantId, userId, at);
        participant.EventsNewestFirst.Insert(0, new Event { Name = EventName.Joined, ParticipantId = participantId, EventTime = at });
        Participants.Add(participant);
        return participant;
    }

    public void EndAt(DateTimeOffset at)
    {
        foreach (var participant in Participants.Where(p => p.Connected))
        {
            participant.Leave(at);
        }

        End = at;
    }
}

public sealed class FakeParticipant(string id, string userId, DateTimeOffset firstJoinTime)
{
    public string Id { get; } = id;
    public string UserId { get; } = userId;
    public DateTimeOffset FirstJoinTime { get; } = firstJoinTime;
    public bool Connected { get; set; } = true;
    public bool Publishing { get; private set; }
    public bool PublishedEver { get; private set; }
    public List<Event> EventsNewestFirst { get; } = [];

    public FakeParticipant Publish(DateTimeOffset at)
    {
        Publishing = PublishedEver = true;
        EventsNewestFirst.Insert(0, new Event { Name = EventName.PublishStarted, ParticipantId = Id, EventTime = at });
        return this;
    }

    public FakeParticipant Unpublish(DateTimeOffset at)
    {
        Publishing = false;
        EventsNewestFirst.Insert(0, new Event { Name = EventName.PublishStopped, ParticipantId = Id, EventTime = at });
        return this;
    }

    public void Leave(DateTimeOffset at)
    {
        if (Publishing)
        {
            Unpublish(at);
        }

        Connected = false;
        EventsNewestFirst.Insert(0, new Event { Name = EventName.Left, ParticipantId = Id, EventTime = at });
    }
}
