using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.SQS;
using Constructs;
using IvsServerless.Deployment.Functions;
using EventPattern = Amazon.CDK.AWS.Events.EventPattern;

namespace IvsServerless.Cdk.Constructs;

public sealed record EventProjectionProps(FunctionFoundation Foundation);

/// <summary>
/// IVS → EventBridge (default bus) → an SQS queue → the <c>ivs-events</c> function in batches, with the contract's rules
/// (one per IVS detail-type; the local bus routes by the same patterns) and its queue trigger (<see cref="DeliveryQueue"/>:
/// batch size, batching window, partial batch failures, maximum concurrency, redrive after N receives). Two failure
/// paths, two dead-letter queues (both alarmed): an event EventBridge could not deliver to the queue (the rule targets'
/// retry policy and DLQ), and an event the function failed on every receive (the queue's redrive policy).
/// </summary>
public sealed class EventProjection : Construct
{
    /// <summary>How long EventBridge keeps retrying the delivery of one event to the queue.</summary>
    public static readonly Duration MaxEventAge = Duration.Hours(2);

    public const int RetryAttempts = 8;

    public ServerlessFunction Function { get; }

    /// <summary>Events EventBridge could not deliver to the queue.</summary>
    public Queue DeadLetterQueue { get; }

    public DeliveryQueue Delivery { get; }

    public IReadOnlyList<Rule> Rules { get; }

    public EventProjection(Construct scope, string id, EventProjectionProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Function = new ServerlessFunction(
            this, "IvsEventsFunction", new ServerlessFunctionProps(BackendFunctions.IvsEvents, props.Foundation));
        var trigger = (Function.Declaration.Queue
            ?? throw new InvalidOperationException($"The {Function.Handler} function declares no queue trigger."))
            .For(props.Foundation.Settings.EventDelivery);
        Delivery = new DeliveryQueue(this, "Delivery", new DeliveryQueueProps(Function, trigger));
        DeadLetterQueue = DeadLetterQueues.Create(this, "DeadLetterQueue");
        // Each target adds a statement to the queue's policy letting only its rule send (aws:SourceArn).
        Rules = [.. Function.Declaration.Rules.Select(rule => new Rule(this, rule.Name, new RuleProps
        {
            Description = $"IVS events ({rule.Name}) to the {Function.Handler} function's queue",
            EventPattern = Parse(rule.Pattern),
            Targets =
            [
                new SqsQueue(Delivery.Queue, new SqsQueueProps
                {
                    RetryAttempts = RetryAttempts,
                    MaxEventAge = MaxEventAge,
                    DeadLetterQueue = DeadLetterQueue,
                }),
            ],
        }))];
    }

    /// <summary>The contract's pattern JSON as a CDK pattern; anything but source and detail-type is refused rather than dropped.</summary>
    public static EventPattern Parse(string patternJson)
    {
        using var document = JsonDocument.Parse(patternJson);
        string[] Values(JsonElement e) =>
            [.. e.EnumerateArray().Select(v => v.GetString() ?? throw new FormatException("Pattern values must be strings."))];
        var pattern = new EventPattern();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "source":
                    pattern.Source = Values(property.Value);
                    break;
                case "detail-type":
                    pattern.DetailType = Values(property.Value);
                    break;
                default:
                    throw new FormatException($"Pattern key '{property.Name}' is not translated to the CDK rule; add it here.");
            }
        }

        return pattern;
    }
}

/// <summary>Dead-letter queues of EventBridge targets: encrypted, TLS only, kept 14 days (the SQS maximum) for a redrive.</summary>
public static class DeadLetterQueues
{
    public static Queue Create(Construct scope, string id) => new(scope, id, new QueueProps
    {
        Encryption = QueueEncryption.SQS_MANAGED,
        EnforceSSL = true,
        RetentionPeriod = Duration.Days(14),
    });
}
