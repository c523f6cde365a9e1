using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace IvsServerless.Cdk.Constructs;

public sealed record ObservabilityProps(
    IReadOnlyList<ServerlessFunction> Functions,
    IReadOnlyList<Queue> DeadLetterQueues,
    HttpApi Api,
    string? AlarmEmail);

/// <summary>
/// Alarms to one SNS topic: any function error or throttle, any message in a dead-letter queue (an event the
/// projection could not take), and any API 5xx. Each fires on the first occurrence: at this scale one is worth a look.
/// </summary>
public sealed class Observability : Construct
{
    public Topic AlarmTopic { get; }

    public IReadOnlyList<Alarm> Alarms { get; }

    public Observability(Construct scope, string id, ObservabilityProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        AlarmTopic = new Topic(this, "AlarmTopic", new TopicProps { DisplayName = "IvsServerless alarms", EnforceSSL = true });
        if (props.AlarmEmail is { } email)
        {
            AlarmTopic.AddSubscription(new EmailSubscription(email));
        }

        var alarms = new List<Alarm>();
        var action = new SnsAction(AlarmTopic);
        void Add(string alarmId, string description, IMetric metric)
        {
            var alarm = new Alarm(this, alarmId, new AlarmProps
            {
                AlarmDescription = description,
                Metric = metric,
                Threshold = 0,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
                EvaluationPeriods = 1,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            });
            alarm.AddAlarmAction(action);
            alarm.AddOkAction(action);
            alarms.Add(alarm);
        }

        var period = Duration.Minutes(5);
        foreach (var function in props.Functions)
        {
            Add(function.Node.Id + "Errors", $"The {function.Handler} function failed invocations",
                function.Function.MetricErrors(new MetricOptions { Period = period, Statistic = "Sum" }));
            Add(function.Node.Id + "Throttles", $"The {function.Handler} function was throttled",
                function.Function.MetricThrottles(new MetricOptions { Period = period, Statistic = "Sum" }));
        }

        for (var i = 0; i < props.DeadLetterQueues.Count; i++)
        {
            var queue = props.DeadLetterQueues[i];
            Add($"DeadLetters{queue.Node.Scope?.Node.Id}", "Events were dead-lettered: inspect and redrive the queue",
                queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = Duration.Minutes(1), Statistic = "Maximum" }));
        }

        Add("Api5xx", "The HTTP API answered 5xx",
            props.Api.MetricServerError(new MetricOptions { Period = period, Statistic = "Sum" }));
        Alarms = alarms;
    }

    /// <summary>
    /// An alarm on a lag (a queue's oldest message, a stream's iterator age) above <paramref name="threshold"/> in 3 of 5
    /// minutes — a sustained lag, not one slow batch — to the alarm topic, which also hears when it clears.
    /// </summary>
    public static Alarm SustainedLagAlarm(
        Construct scope, string id, string description, IMetric metric, double threshold, Topic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var alarm = new Alarm(scope, id, new AlarmProps
        {
            AlarmDescription = description,
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 5,
            DatapointsToAlarm = 3,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        var action = new SnsAction(topic);
        alarm.AddAlarmAction(action);
        alarm.AddOkAction(action);
        return alarm;
    }
}
