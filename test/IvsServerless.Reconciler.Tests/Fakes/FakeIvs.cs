using System.Globalization;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Stages;

namespace IvsServerless.Reconciler.Tests.Fakes;

/// <summary>
/// The reconciler's IVS port in memory. Records when each call arrived (on the test's
/// clock) so tests can check the call rate; lists newest first like IVS; pages with plain index tokens.
/// </summary>
public sealed class FakeIvs(TimeProvider time) : IStageInventory, ICompositionInventory
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

    /// <summary>Compositions as IVS knows them: ARN to state; a missing ARN is one IVS no longer knows.</summary>
    public Dictionary<string, string> CompositionStates { get; } = new(StringComparer.Ordinal);

    public Task<string?> GetCompositionStateAsync(string compositionArn, CancellationToken cancellationToken)
    {
        Record("GetComposition", compositionArn);
        return Task.FromResult(CompositionStates.GetValueOrDefault(compositionArn));
    }

    public Task<Page<IvsStageSummary>> ListStagesAsync(string? nextToken, int pageSize, CancellationToken cancellationToken)
    {
        Record("ListStages");
        if (nextToken is { } refused && RefusedTokens.Contains(refused))
        {
            throw new IvsInvalidRequestException("The next token is invalid.");
        }

        var start = nextToken is null ? 0 : int.Parse(nextToken, CultureInfo.InvariantCulture);
        var size = Math.Min(pageSize, StagesPageLimit);
        var page = Stages.Skip(start).Take(size)
            .Select(s => new IvsStageSummary(s.Arn, s.ActiveSession?.Id, new Dictionary<string, string>(s.Tags)))
            .ToList();
        var next = start + size < Stages.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new Page<IvsStageSummary>(page, next));
    }

    public Task<IvsStage> GetStageAsync(string stageArn, CancellationToken cancellationToken)
    {
        Record("GetStage", stageArn);
        var stage = Find(stageArn);
        return Task.FromResult(new IvsStage(stage.Arn, stage.ActiveSession?.Id));
    }

    public Task<bool> DeleteStageIfExistsAsync(string stageArn, CancellationToken cancellationToken)
    {
        Record("DeleteStage", stageArn);
        if (Stages.SingleOrDefault(s => s.Arn == stageArn) is not { } stage)
        {
            return Task.FromResult(false);
        }

        Stages.Remove(stage);
        Deleted.Add(stage.Arn);
        return Task.FromResult(true);
    }

    public List<string> Deleted { get; } = [];

    public Task TagStageAsync(string stageArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Record("TagResource", stageArn);
        var stage = Find(stageArn);
        foreach (var (key, value) in tags)
        {
            stage.Tags[key] = value;
        }

        return Task.CompletedTask;
    }

    public Task<Page<IvsStageSession>> ListStageSessionsAsync(string stageArn, string? nextToken, CancellationToken cancellationToken)
    {
        Record("ListStageSessions", stageArn);
        var stage = Find(stageArn);
        return Task.FromResult(
            new Page<IvsStageSession>(
            [.. Enumerable.Reverse(stage.Sessions).Select(s => new IvsStageSession(s.Id, s.Start, s.End))], null));
    }

    public Task<Page<IvsParticipant>> ListParticipantsAsync(
        string stageArn, string sessionId, string? nextToken, CancellationToken cancellationToken)
    {
        Record("ListParticipants", stageArn);
        var session = Find(stageArn).Sessions.Single(s => s.Id == sessionId);
        return Task.FromResult(new Page<IvsParticipant>(
            [.. session.Participants.Select(p => new IvsParticipant(p.Id, p.UserId, p.Connected, p.FirstJoinTime, p.PublishedEver))],
                null));
    }

    public Task<Page<IvsParticipantEvent>> ListParticipantEventsAsync(
        string stageArn, string sessionId, string participantId, string? nextToken,
        CancellationToken cancellationToken)
    {
        Record("ListParticipantEvents", stageArn);
        var participant = Find(stageArn).Sessions.Single(s => s.Id == sessionId).Participants.Single(p => p.Id == participantId);
        return Task.FromResult(new Page<IvsParticipantEvent>([.. participant.EventsNewestFirst], null));
    }

    private FakeStage Find(string arn) =>
        Stages.SingleOrDefault(s => s.Arn == arn) ?? throw new IvsResourceNotFoundException("Stage not found.");

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
        participant.EventsNewestFirst.Insert(0, new IvsParticipantEvent(IvsParticipantEventName.Joined, at));
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
    public List<IvsParticipantEvent> EventsNewestFirst { get; } = [];

    public FakeParticipant Publish(DateTimeOffset at)
    {
        Publishing = PublishedEver = true;
        EventsNewestFirst.Insert(0, new IvsParticipantEvent(IvsParticipantEventName.PublishStarted, at));
        return this;
    }

    public FakeParticipant Unpublish(DateTimeOffset at)
    {
        Publishing = false;
        EventsNewestFirst.Insert(0, new IvsParticipantEvent(IvsParticipantEventName.PublishStopped, at));
        return this;
    }

    public void Leave(DateTimeOffset at)
    {
        if (Publishing)
        {
            Unpublish(at);
        }

        Connected = false;
        EventsNewestFirst.Insert(0, new IvsParticipantEvent(IvsParticipantEventName.Left, at));
    }
}
