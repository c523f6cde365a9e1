using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
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
        Schedule = new Rule(this, "Schedule", new RuleProps
        {
            Description = $"Runs the {props.Reconciler.Handler} function",
            Schedule = Amazon.CDK.AWS.Events.Schedule.Rate(props.Interval),
            Targets =
            [
                new LambdaFunction(props.Reconciler.Function, new LambdaFunctionProps
                {
                    RetryAttempts = 2,

                    // Older than one interval: the next tick has already superseded it.
                    MaxEventAge = props.Interval,
                    DeadLetterQueue = DeadLetterQueue,
                }),
            ],
        });
    }
}
