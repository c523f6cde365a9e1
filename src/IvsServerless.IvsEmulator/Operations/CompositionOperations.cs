using System.Text.Json.Nodes;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>
/// StartComposition, StopComposition, GetComposition, ListCompositions, and the composition lifecycle:
/// STARTING → ACTIVE → STOPPING → STOPPED (then gone after the retention), with the
/// <c>IVS Composition State Change</c> events, and the auto-stop when the stage has had no publisher for a while.
/// </summary>
public static partial class CompositionOperations
{
    public const int PerStageQuota = 5;
    public const int PerAccountQuota = 20;

    /// <summary>The detail field naming the destination in Destination Start/End events. The AWS guide's event
    /// examples could not be consulted here; this name comes from third-party consumers (see the events reference).</summary>
    public const string DestinationIdField = "destination_id";

    public static void Register(OperationTable table)
    {
        table.Add("StartComposition", StartComposition);
        table.Add("StopComposition", StopComposition);
        table.Add("GetComposition", GetComposition);
        table.Add("ListCompositions", ListCompositions);
    }

    /// <summary>DeleteStage: compositions of the stage stop.</summary>
    public static void StopAllOnStage(OperationContext context, string stageArn)
    {
        foreach (var composition in context.State.Compositions.Values.Where(c => c.StageArn == stageArn).ToList())
        {
            BeginStop(context, composition);
        }
    }

    /// <summary>The simulation calls this whenever a stage's set of publishers changes (publish, unpublish,
    /// leave, disconnect): IVS stops a composition about a minute after its last publisher leaves.</summary>
    public static void OnPublishersChanged(OperationContext context, StageRecord stage)
    {
        var publishing = HasPublisher(stage);
        foreach (var composition in context.State.Compositions.Values.Where(c => c.StageArn == stage.Arn && c.IsRunning).ToList())
        {
            if (publishing)
            {
                composition.IdleSince = null;
            }
            else if (composition.IdleSince is null)
            {
                StartIdleClock(context, composition);
            }
        }
    }

    private static object StartComposition(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "stageArn");
        var destinations = ReadDestinations(input);
        var idempotencyToken = input.String(
            "idempotencyToken", min: 1, max: 64, pattern: Patterns.Name(), patternText: Patterns.ResourceName);
        var layout = ReadLayout(input.Object("layout"));
        var tags = input.Tags();
        input.ThrowIfInvalid();

        // The SDKs send the same token when they retry a start whose response was lost: answer with what it created.
        var earlier = idempotencyToken is null ? null : context.State.Compositions.Values.FirstOrDefault(
            c => c.IdempotencyToken == idempotencyToken);
        if (earlier is not null)
        {
            return earlier.StageArn == stageArn
                ? new { composition = ToComposition(earlier) }
                : throw IvsException.Conflict(
                    $"Idempotency token {idempotencyToken} was already used to start composition {earlier.Arn} on another stage.");
        }

        var stage = StageOperations.Find(context, stageArn!);
        RequireConfigurations(context, destinations);
        var live = context.State.Compositions.Values.Where(c => c.IsLive).ToList();
        if (live.Count(c => c.StageArn == stage.Arn) >= PerStageQuota)
        {
            throw IvsException.QuotaExceeded($"Limit of {PerStageQuota} compositions per stage exceeded.");
        }

        if (live.Count >= PerAccountQuota)
        {
            throw IvsException.QuotaExceeded($"Limit of {PerAccountQuota} compositions per region exceeded.");
        }

        var id = ResourceIds.NewId();
        var composition = new CompositionRecord
        {
            Arn = context.NewArn("composition", id),
            StageArn = stage.Arn,
            Layout = layout,
            Destinations = destinations.Select(d => NewDestination(stage, id, d)).ToList(),
            StartTime = context.Now,
            IdempotencyToken = idempotencyToken,
            Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        context.State.Compositions.Add(composition.Arn, composition);
        context.State.Taggable.Add(composition.Arn, composition);

        var due = context.Now + context.Options.CompositionTransitionDelay;
        context.State.Schedule(due, $"composition {id} becomes ACTIVE", later => Activate(later.At(due), composition));
        if (!HasPublisher(stage))
        {
            StartIdleClock(context, composition);
        }

        return new { composition = ToComposition(composition) };
    }

    private static object StopComposition(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();

        // Stopping a composition that is already stopping or stopped is not an error: the caller's intent holds.
        BeginStop(context, Find(context, arn!));
        return EmptyResponse.Instance;
    }

    private static object GetComposition(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();
        return new { composition = ToComposition(Find(context, arn!)) };
    }

    private static object ListCompositions(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "filterByStageArn", required: false);
        var encoderArn = EncoderConfigurationOperations.ReadArn(input, "filterByEncoderConfigurationArn", required: false);
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 100);
        input.ThrowIfInvalid();

        var matching = context.State.Compositions.Values.Where(c =>
            (stageArn is null || c.StageArn == stageArn) && (encoderArn is null || c.UsesEncoderConfiguration(encoderArn)));
        var page = context.Pages.Paginate("ListCompositions", matching, c => c.Arn, nextToken, maxResults);
        return new { compositions = page.Items.Select(ToSummary), nextToken = page.NextToken };
    }

    private static void RequireConfigurations(OperationContext context, List<DestinationConfiguration> destinations)
    {
        foreach (var destination in destinations)
        {
            if (destination.Channel?.EncoderConfigurationArn is { } channelEncoder)
            {
                EncoderConfigurationOperations.Find(context, channelEncoder);
            }

            if (destination.S3 is { } s3)
            {
                StorageConfigurationOperations.Find(context, s3.StorageConfigurationArn);
                foreach (var encoder in s3.EncoderConfigurationArns)
                {
                    EncoderConfigurationOperations.Find(context, encoder);
                }
            }
        }
    }

    private static DestinationRecord NewDestination(StageRecord stage, string compositionId, DestinationConfiguration configuration)
    {
        var id = ResourceIds.NewId();
        return new DestinationRecord
        {
            Id = id,
            Configuration = configuration,
            // Where the service writes the recording: <stage id>/<composition id>/<destination id>/composite.
            Detail = configuration.S3 is null ? null : new DestinationDetail(new S3Detail($"{stage.Id}/{compositionId}/{id}/composite")),
        };
    }

    private static void Activate(OperationContext context, CompositionRecord composition)
    {
        if (composition.State != CompositionStates.Starting)
        {
            return;
        }

        composition.State = CompositionStates.Active;
        composition.SessionStarted = true;
        Emit(context, composition, "Session Start");
        foreach (var destination in composition.Destinations)
        {
            destination.State = CompositionStates.Active;
            destination.StartTime = context.Now;
            Emit(context, composition, "Destination Start", destination);
            StartRecording(context, composition, destination);
        }
    }

    /// <summary>StopComposition, the idle auto-stop and DeleteStage all end a composition the same graceful way.</summary>
    private static void BeginStop(OperationContext context, CompositionRecord composition)
    {
        if (!composition.IsRunning)
        {
            return;
        }

        composition.State = CompositionStates.Stopping;
        composition.IdleSince = null;
        foreach (var destination in composition.Destinations.Where(d => d.State != CompositionStates.Failed))
        {
            destination.State = CompositionStates.Stopping;
        }

        var due = context.Now + context.Options.CompositionTransitionDelay;
        context.State.Schedule(due, $"composition {composition.Id} becomes STOPPED", later => Finish(later.At(due), composition));
    }

    private static void Finish(OperationContext context, CompositionRecord composition)
    {
        composition.State = CompositionStates.Stopped;
        composition.EndTime = context.Now;
        foreach (var destination in composition.Destinations.Where(d => d.State != CompositionStates.Failed))
        {
            destination.State = CompositionStates.Stopped;
            destination.EndTime = context.Now;
            if (destination.StartTime is not null)
            {
                EndDestination(context, composition, destination);
            }
        }

        if (composition.SessionStarted)
        {
            // After the destinations' own ends, which may wait for their recordings to be written.
            Announce(context, composition.Arn, done => Emit(done, composition, "Session End"));
        }

        ScheduleCleanup(context, composition);
    }

    /// <summary>For the simulation surface: the composition pipeline fails (FAILED at once, no graceful stop),
    /// sending <c>Session Failure</c> with the reason.</summary>
    public static void Fail(OperationContext context, CompositionRecord composition, string reason)
    {
        if (!composition.IsLive)
        {
            return;
        }

        composition.State = CompositionStates.Failed;
        composition.EndTime = context.Now;
        composition.IdleSince = null;
        foreach (var destination in composition.Destinations)
        {
            destination.State = CompositionStates.Failed;
            destination.EndTime = context.Now;
        }

        Emit(context, composition, "Session Failure", reason: reason);
        FailRecordings(context, composition);
        ScheduleCleanup(context, composition);
    }

    private static void ScheduleCleanup(OperationContext context, CompositionRecord composition)
    {
        var due = context.Now + context.Options.StoppedCompositionRetention;
        context.State.Schedule(due, $"composition {composition.Id} is cleaned up", later =>
        {
            later.State.Compositions.Remove(composition.Arn);
            later.State.Taggable.Remove(composition.Arn);
        });
    }

    /// <summary>The scheduler cannot cancel, so each idle check remembers which idle period it belongs to and
    /// does nothing if a publisher came (and maybe left again) in the meantime.</summary>
    private static void StartIdleClock(OperationContext context, CompositionRecord composition)
    {
        var since = context.Now;
        composition.IdleSince = since;
        var due = since + context.Options.CompositionIdleStop;
        context.State.Schedule(due, $"composition {composition.Id} idle check", later =>
        {
            if (composition.IdleSince == since)
            {
                BeginStop(later.At(due), composition);
            }
        });
    }

    // Participant.Published means "ever published in this session"; what keeps a composition alive is someone publishing now.
    private static bool HasPublisher(StageRecord stage) => stage.ActiveSession?.Publishers.Any() == true;

    private static void Emit(OperationContext context, CompositionRecord composition, string eventName,
        DestinationRecord? destination = null, string? reason = null)
    {
        var detail = new JsonObject { ["event_name"] = eventName, ["stage_arn"] = composition.StageArn };
        if (destination is not null)
        {
            detail[DestinationIdField] = destination.Id;
        }

        if (reason is not null)
        {
            detail["reason"] = reason;
        }

        context.Emit(IvsEvent.CompositionStateChange, composition.Arn, detail);
    }

    public static object ToComposition(CompositionRecord composition) => new
    {
        arn = composition.Arn,
        stageArn = composition.StageArn,
        state = composition.State,
        layout = composition.Layout,
        destinations = composition.Destinations.Select(d => new
        {
            id = d.Id,
            state = d.State,
            configuration = d.Configuration,
            startTime = d.StartTime,
            endTime = d.EndTime,
            detail = d.Detail,
        }),
        tags = composition.Tags,
        startTime = composition.StartTime,
        endTime = composition.EndTime,
    };

    private static object ToSummary(CompositionRecord composition) => new
    {
        arn = composition.Arn,
        stageArn = composition.StageArn,
        destinations = composition.Destinations.Select(
            d => new { id = d.Id, state = d.State, startTime = d.StartTime, endTime = d.EndTime }),
        state = composition.State,
        tags = composition.Tags,
        startTime = composition.StartTime,
        endTime = composition.EndTime,
    };

    public static string? ReadArn(RequestReader input, string name, bool required = true) =>
        input.String(name, required, 1, 128, Patterns.CompositionArn());

    /// <summary>The composition with this ARN (until its retention ends), or 404.</summary>
    public static CompositionRecord Find(OperationContext context, string arn) =>
        context.State.Compositions.TryGetValue(arn, out var composition)
            ? composition
            : throw IvsException.NotFound($"Composition {arn} not found");
}
