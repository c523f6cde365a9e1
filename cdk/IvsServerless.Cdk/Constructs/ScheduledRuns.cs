using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace IvsServerless.Cdk.Constructs;

/// <summary>A function run at its declared rate: a failed run is retried twice, then dead-lettered.</summary>
public static class ScheduledRuns
{
    public static Rule Create(Construct scope, ServerlessFunction function, string description, Queue deadLetterQueue)
    {
        ArgumentNullException.ThrowIfNull(function);
        var interval = Duration.Seconds((function.Declaration.Schedule
            ?? throw new ArgumentException($"The {function.Handler} function declares no schedule.", nameof(function))).TotalSeconds);
        return new(scope, "Schedule", new RuleProps
        {
            Description = description,
            Schedule = Schedule.Rate(interval),
            Targets =
            [
                new LambdaFunction(function.Function, new LambdaFunctionProps
                {
                    RetryAttempts = 2,

                    // Older than one interval: the next tick has already superseded it.
                    MaxEventAge = interval,
                    DeadLetterQueue = deadLetterQueue,
                }),
            ],
        });
    }
}
