using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.Destinations;
using Amazon.CDK.AWS.SQS;
using Constructs;
using IvsServerless.Deployment.Functions;
using EventPattern = Amazon.CDK.AWS.Events.EventPattern;

namespace IvsServerless.Cdk.Constructs;

public sealed record EventProjectionProps(FunctionFoundation Foundation);

/// <summary>
/// IVS → EventBridge (default bus) → the <c>ivs-events</c> function, with the contract's rules (one per IVS detail-type;
/// the local bus routes by the same patterns). EventBridge invokes Lambda asynchronously, so two failure paths end in the
/// same dead-letter queue (alarmed) to redrive: an invocation EventBridge could not make (the rule target's retry policy
/// and DLQ), and an event the function failed on every attempt (Lambda's asynchronous retries, then the function's
/// on-failure destination) — without the latter, Lambda discards it.
/// </summary>
public sealed class EventProjection : Construct
{
    /// <summary>How long EventBridge keeps retrying one event (the projection is idempotent and order-tolerant).</summary>
    public static readonly Duration MaxEventAge = Duration.Hours(2);

    public const int RetryAttempts = 8;

    /// <summary>Lambda's own retries of an event the function failed on (its maximum; 1 min, then 2 min apart).</summary>
    public const int FunctionRetryAttempts = 2;

    /// <summary>How long Lambda keeps an event of a failing or throttled function queued for retries (its maximum).</summary>
    public static readonly Duration FunctionMaxEventAge = Duration.Hours(6);

    public ServerlessFunction Function { get; }

    public Queue DeadLetterQueue { get; }

    public IReadOnlyList<Rule> Rules { get; }

    public EventProjection(Construct scope, string id, EventProjectionProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Function = new ServerlessFunction(
            this, "IvsEventsFunction", new ServerlessFunctionProps(BackendFunctions.IvsEvents, props.Foundation));
        DeadLetterQueue = DeadLetterQueues.Create(this, "DeadLetterQueue");
        Rules = [.. Function.Declaration.Rules.Select(rule => new Rule(this, rule.Name, new RuleProps
        {
            Description = $"IVS events ({rule.Name}) to the {Function.Handler} function",
            EventPattern = Parse(rule.Pattern),
            Targets =
            [
                new LambdaFunction(Function.Function, new LambdaFunctionProps
                {
                    RetryAttempts = RetryAttempts,
                    MaxEventAge = MaxEventAge,
                    DeadLetterQueue = DeadLetterQueue,
                }),
            ],
        }))];

        Function.Function.ConfigureAsyncInvoke(new EventInvokeConfigOptions
        {
            RetryAttempts = FunctionRetryAttempts,
            MaxEventAge = FunctionMaxEventAge,
            OnFailure = new SqsDestination(DeadLetterQueue),
        });
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
