using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.Destinations;
using Amazon.CDK.AWS.SQS;
using Constructs;
using IvsServerless.LocalBus;
using EventPattern = Amazon.CDK.AWS.Events.EventPattern;

namespace IvsServerless.Cdk.Constructs;

/// <param name="Rules">Rule name → EventBridge pattern JSON (<see cref="IvsRules.All"/>: the local bus routes by the same patterns).</param>
public sealed record IvsEventRoutingProps(ServerlessFunction Target, IReadOnlyList<KeyValuePair<string, string>> Rules);

/// <summary>
/// IVS → EventBridge (default bus) → the ivs-events function: one rule per IVS detail-type. EventBridge invokes Lambda
/// asynchronously, so two failure paths end in the same dead-letter queue (alarmed) to redrive: an invocation EventBridge
/// could not make (the rule target's retry policy and DLQ), and an event the function failed on every attempt (Lambda's
/// asynchronous retries, then the function's on-failure destination) — without the latter, Lambda discards it.
/// </summary>
public sealed class IvsEventRouting : Construct
{
    /// <summary>How long EventBridge keeps retrying one event (the projection is idempotent and order-tolerant).</summary>
    public static readonly Duration MaxEventAge = Duration.Hours(2);

    public const int RetryAttempts = 8;

    /// <summary>Lambda's own retries of an event the function failed on (its maximum; 1 min, then 2 min apart).</summary>
    public const int FunctionRetryAttempts = 2;

    /// <summary>How long Lambda keeps an event of a failing or throttled function queued for retries (its maximum).</summary>
    public static readonly Duration FunctionMaxEventAge = Duration.Hours(6);

    public Queue DeadLetterQueue { get; }

    public IReadOnlyList<Rule> Rules { get; }

    public IvsEventRouting(Construct scope, string id, IvsEventRoutingProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        DeadLetterQueue = DeadLetterQueues.Create(this, "DeadLetterQueue");
        var rules = new List<Rule>();
        foreach (var (name, pattern) in props.Rules)
        {
            rules.Add(new Rule(this, name, new RuleProps
            {
                Description = $"IVS events ({name}) to the {props.Target.Handler} function",
                EventPattern = Parse(pattern),
                Targets =
                [
                    new LambdaFunction(props.Target.Function, new LambdaFunctionProps
                    {
                        RetryAttempts = RetryAttempts,
                        MaxEventAge = MaxEventAge,
                        DeadLetterQueue = DeadLetterQueue,
                    }),
                ],
            }));
        }

        Rules = rules;
        props.Target.Function.ConfigureAsyncInvoke(new EventInvokeConfigOptions
        {
            RetryAttempts = FunctionRetryAttempts,
            MaxEventAge = FunctionMaxEventAge,
            OnFailure = new SqsDestination(DeadLetterQueue),
        });
    }

    /// <summary>The shared pattern JSON as a CDK pattern; anything but source and detail-type is refused rather than dropped.</summary>
    public static EventPattern Parse(string patternJson)
    {
        using var document = JsonDocument.Parse(patternJson);
        string[] Values(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetString() ?? throw new FormatException("Pattern values must be strings."))];
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
