using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;
using IvsServerless.Deployment.Functions;

namespace IvsServerless.Cdk.Constructs;

public sealed record DeliveryQueueProps(ServerlessFunction Function, QueueTrigger Trigger);

/// <summary>
/// A queue in front of a function, as its contract's <see cref="QueueTrigger"/> says: SQS-managed encryption, TLS only,
/// a visibility timeout of six times the function's timeout (AWS's guidance for a queue that triggers a function), a
/// redrive policy to its own dead-letter queue after the trigger's receive count, and the event source mapping (batch
/// size, batching window, <c>ReportBatchItemFailures</c>, maximum concurrency) as an L1 resource whose consumer actions
/// are granted on this queue only. Whoever sends to it (EventBridge rules as targets) adds its own queue-policy statement.
/// </summary>
public sealed class DeliveryQueue : Construct
{
    /// <summary>How long the queue keeps a message nobody took (the SQS default, stated).</summary>
    public static readonly Duration RetentionPeriod = Duration.Days(4);

    /// <summary>The consumer actions the event source mapping needs, with the function's role, on this queue only.</summary>
    public static IReadOnlyList<string> ConsumerActions { get; } =
        ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"];

    public Queue Queue { get; }

    /// <summary>Messages the function failed on <see cref="QueueTrigger.MaxReceiveCount"/> times (redrive policy).</summary>
    public Queue DeadLetterQueue { get; }

    public CfnEventSourceMapping Mapping { get; }

    public QueueTrigger Trigger { get; }

    public Duration VisibilityTimeout { get; }

    public DeliveryQueue(Construct scope, string id, DeliveryQueueProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Trigger = props.Trigger;
        var function = props.Function;
        VisibilityTimeout = Duration.Seconds(QueueTrigger.VisibilityTimeoutFor(function.Declaration.Timeout).TotalSeconds);
        DeadLetterQueue = DeadLetterQueues.Create(this, "DeadLetterQueue");
        Queue = new Queue(this, "Queue", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = RetentionPeriod,
            VisibilityTimeout = VisibilityTimeout,
            DeadLetterQueue = new Amazon.CDK.AWS.SQS.DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = Trigger.MaxReceiveCount },
        });

        function.Role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DeliveryQueue",
            Actions = [.. ConsumerActions],
            Resources = [Queue.QueueArn],
        }));
        Mapping = new CfnEventSourceMapping(this, "Mapping", new CfnEventSourceMappingProps
        {
            FunctionName = function.Function.FunctionName,
            EventSourceArn = Queue.QueueArn,
            BatchSize = Trigger.BatchSize,
            MaximumBatchingWindowInSeconds = (int)Trigger.BatchingWindow.TotalSeconds,
            FunctionResponseTypes = ["ReportBatchItemFailures"],
            ScalingConfig = new CfnEventSourceMapping.ScalingConfigProperty { MaximumConcurrency = Trigger.MaximumConcurrency },
        });
        // The mapping is checked against the role when it is created: the policy must exist first.
        Mapping.Node.AddDependency(function.Role);
    }

    /// <summary>
    /// An alarm when the oldest message waits longer than two visibility timeouts (a message retried once legitimately
    /// waits about one): the function is behind or failing, to the stack's alarm topic. The dead-letter queue's depth is
    /// alarmed with every other dead-letter queue (Observability).
    /// </summary>
    public Alarm AddAgeAlarm(Topic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return Observability.SustainedLagAlarm(
            this, "OldestMessageAge", "Events wait in the delivery queue: the projection is behind or failing",
            Queue.MetricApproximateAgeOfOldestMessage(new MetricOptions { Period = Duration.Minutes(1), Statistic = "Maximum" }),
            VisibilityTimeout.ToSeconds() * 2, topic);
    }
}
