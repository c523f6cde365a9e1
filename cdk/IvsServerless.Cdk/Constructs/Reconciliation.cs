using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace IvsServerless.Cdk.Constructs;

public sealed record ReconciliationProps(ServerlessFunction Reconciler, Duration Interval);

/// <summary>
/// The reconciler on a schedule: repairs what events missed (presence from IVS, sessions) and sweeps idle stages.
/// A missed run is retried twice, then dead-lettered; the next tick redoes the work anyway.
/// </summary>
public sealed class Reconciliation : Construct
{
    public Rule Schedule { get; }

    public Queue DeadLetterQueue { get; }

    public Reconciliation(Construct scope, string id, ReconciliationProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        DeadLetterQueue = DeadLetterQueues.Create(this, "DeadLetterQueue");
        Schedule = ScheduledRuns.Create(this, props.Reconciler, props.Interval, $"Runs the {props.Reconciler.Handler} function", DeadLetterQueue);
    }
}
