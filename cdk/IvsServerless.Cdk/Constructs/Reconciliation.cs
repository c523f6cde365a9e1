using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.SQS;
using Constructs;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;

namespace IvsServerless.Cdk.Constructs;

public sealed record ReconciliationProps(FunctionFoundation Foundation);

/// <summary>
/// The reconciler on its schedule: repairs what events missed (presence from IVS, sessions) and sweeps idle stages.
/// A missed run is retried twice, then dead-lettered; the next tick redoes the work anyway.
/// </summary>
public sealed class Reconciliation : Construct
{
    public ServerlessFunction Function { get; }

    public Rule Schedule { get; }

    public Queue DeadLetterQueue { get; }

    public Reconciliation(Construct scope, string id, ReconciliationProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Function = new ServerlessFunction(this, "ReconcilerFunction",
            new ServerlessFunctionProps(BackendFunctions.Reconciler, props.Foundation, new ReconcilerSettings
            {
                IdleStageMinutes = props.Foundation.Settings.IdleStageTimeoutMinutes,
                CallsPerSecond = props.Foundation.Settings.ReconcilerCallsPerSecond,
            }.Variables()));
        DeadLetterQueue = DeadLetterQueues.Create(this, "DeadLetterQueue");
        Schedule = ScheduledRuns.Create(this, Function, $"Runs the {Function.Handler} function", DeadLetterQueue);
    }
}
