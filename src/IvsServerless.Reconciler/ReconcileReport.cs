using System.Text.Json.Serialization;

namespace IvsServerless.Reconciler;

/// <summary>What one run did; the handler returns it and logs it (counts only, never tokens or user data).</summary>
public sealed class ReconcileReport
{
    /// <summary>False when another run held the lease, so this one did nothing.</summary>
    public bool Ran { get; set; }

    /// <summary>The run reached the end of the stage list (the next run starts a new cycle).</summary>
    public bool CycleCompleted { get; set; }

    /// <summary>The run stopped at its deadline; the next run resumes at the checkpoint.</summary>
    public bool OutOfTime { get; set; }

    public int StagesListed { get; set; }
    public int StagesOfThisDeployment { get; set; }
    public int LiveStages { get; set; }
    public int SessionsClosed { get; set; }
    public int PresenceRecorded { get; set; }

    /// <summary>Participants whose publishing state was looked up (<c>ListParticipantEvents</c>).</summary>
    public int PublishStatesChecked { get; set; }

    /// <summary>Of those, participants whose projected publishing state a repair event changed (a write that changed something).</summary>
    public int PublishStatesRepaired { get; set; }
    public int IdleStagesDeleted { get; set; }
    public int OrphansMarked { get; set; }
    public int OrphansDeleted { get; set; }

    /// <summary>Stage records of this run's slice whose IVS stage was looked up (<see cref="GhostStageWalk"/>).</summary>
    public int RecordsChecked { get; set; }

    /// <summary>Of those, records whose IVS stage was gone, now marked deleted.</summary>
    public int GhostRecordsMarked { get; set; }

    /// <summary>
    /// Compositions left STARTING or STOPPING past the grace period, looked up in IVS (<see cref="CompositionConvergence"/>).
    /// </summary>
    public int CompositionsChecked { get; set; }

    /// <summary>Of those, compositions whose stored state changed to what IVS reports.</summary>
    public int CompositionsRepaired { get; set; }
    public int StagesFailed { get; set; }
    public Dictionary<string, int> IvsCalls { get; set; } = [];

    /// <summary>Adds the stage counts of <paramref name="other"/> (a worker's share of the run) to these.</summary>
    public void Add(ReconcileReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        StagesListed += other.StagesListed;
        StagesOfThisDeployment += other.StagesOfThisDeployment;
        LiveStages += other.LiveStages;
        SessionsClosed += other.SessionsClosed;
        PresenceRecorded += other.PresenceRecorded;
        PublishStatesChecked += other.PublishStatesChecked;
        PublishStatesRepaired += other.PublishStatesRepaired;
        IdleStagesDeleted += other.IdleStagesDeleted;
        OrphansMarked += other.OrphansMarked;
        OrphansDeleted += other.OrphansDeleted;
        RecordsChecked += other.RecordsChecked;
        GhostRecordsMarked += other.GhostRecordsMarked;
        CompositionsChecked += other.CompositionsChecked;
        CompositionsRepaired += other.CompositionsRepaired;
        StagesFailed += other.StagesFailed;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReconcileReport))]
public sealed partial class ReconcilerJsonContext : JsonSerializerContext;
