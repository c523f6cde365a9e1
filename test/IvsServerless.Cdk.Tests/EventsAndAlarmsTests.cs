using System.Text.Json.Nodes;
using IvsServerless.Cdk.Tests.Support;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Routes;

namespace IvsServerless.Cdk.Tests;

[Collection(CdkCollection.Name)]
public sealed class EventsAndAlarmsTests(SynthesizedStacks stacks)
{
    // The stack without the signing key's parts (tokenMode=api; otherwise the defaults): the configured one has them.
    private readonly SynthesizedStack _default = stacks.ApiMode;

    [Fact]
    public void The_three_ivs_rules_use_the_local_bus_patterns_and_target_the_ivs_events_delivery_queue()
    {
        var patterns = _default.Resources("AWS::Events::Rule")
            .Where(r => r.Resource["Properties"]!["EventPattern"] is not null && !IsRecordingFailureRule(r.Resource))
            .ToList();

        Assert.Equal(
            BackendFunctions.IvsEvents.Rules.Select(r => Canonical(JsonNode.Parse(r.Pattern)!)).Order(StringComparer.Ordinal),
            patterns.Select(r => Canonical(r.Resource["Properties"]!["EventPattern"]!)).Order(StringComparer.Ordinal));
        Assert.All(
            patterns, r =>
            Assert.Equal(
                DeliveryQueue(_default).Id,
                SynthesizedStack.Target(Assert.Single(r.Resource["Properties"]!["Targets"]!.AsArray())!["Arn"])));
    }

    [Fact]
    public void The_delivery_queue_is_encrypted_outlasts_six_function_timeouts_and_redrives_after_the_contract_receive_count()
    {
        var trigger = BackendFunctions.IvsEvents.Queue!;
        var queue = DeliveryQueue(_default).Resource["Properties"]!;
        var ivsEvents = _default.FunctionIdsByHandler()[BackendFunctions.IvsEvents.Handler];
        var timeout = _default.Properties(ivsEvents)["Timeout"]!.GetValue<int>();

        Assert.True(queue["SqsManagedSseEnabled"]!.GetValue<bool>());
        Assert.True(queue["VisibilityTimeout"]!.GetValue<int>() >= 6 * timeout);
        Assert.Equal(trigger.MaxReceiveCount, queue["RedrivePolicy"]!["maxReceiveCount"]!.GetValue<int>());
        var deadLetters = SynthesizedStack.Target(queue["RedrivePolicy"]!["deadLetterTargetArn"]);
        Assert.True(_default.Properties(deadLetters)["SqsManagedSseEnabled"]!.GetValue<bool>());
        Assert.Contains(Alarms(_default), a => a.Metric == "ApproximateNumberOfMessagesVisible" && a.Dimension == deadLetters);
        Assert.Contains(
            Alarms(_default), a => a.Metric == "ApproximateAgeOfOldestMessage" && a.Dimension == DeliveryQueue(_default).Id
            && a.Threshold > 0);
    }

    [Fact]
    public void The_mapping_hands_the_function_batches_with_partial_failures_and_bounded_concurrency()
    {
        var trigger = BackendFunctions.IvsEvents.Queue!;
        var (_, mapping) = Assert.Single(
            _default.Resources("AWS::Lambda::EventSourceMapping"),
            m => SynthesizedStack.Target(m.Resource["Properties"]!["EventSourceArn"]) == DeliveryQueue(_default).Id);
        var properties = mapping["Properties"]!;

        var ivsEvents = _default.FunctionIdsByHandler()[BackendFunctions.IvsEvents.Handler];
        Assert.Equal(ivsEvents, SynthesizedStack.Target(properties["FunctionName"]));
        Assert.Equal(trigger.BatchSize, properties["BatchSize"]!.GetValue<int>());
        Assert.Equal((int)trigger.BatchingWindow.TotalSeconds, properties["MaximumBatchingWindowInSeconds"]!.GetValue<int>());
        Assert.Equal(["ReportBatchItemFailures"], TemplateQueries.Strings(properties["FunctionResponseTypes"]));
        Assert.Equal(trigger.MaximumConcurrency, properties["ScalingConfig"]!["MaximumConcurrency"]!.GetValue<int>());
        Assert.InRange(trigger.MaximumConcurrency, 2, 1000);
        Assert.Empty(_default.Resources("AWS::Lambda::EventInvokeConfig"));
    }

    [Fact]
    public void Immediate_event_delivery_maps_batches_of_at_most_ten_without_a_window()
    {
        var configured = stacks.Configured;
        var (_, mapping) = Assert.Single(
            configured.Resources("AWS::Lambda::EventSourceMapping"),
            m => SynthesizedStack.Target(m.Resource["Properties"]!["EventSourceArn"]) == DeliveryQueue(configured).Id);
        var properties = mapping["Properties"]!;

        // AWS refuses a batch over 10 without a window of at least one second.
        Assert.Equal(QueueTrigger.MaxBatchSizeWithoutWindow, properties["BatchSize"]!.GetValue<int>());
        Assert.Equal(0, properties["MaximumBatchingWindowInSeconds"]?.GetValue<int>() ?? 0);
        Assert.Equal(["ReportBatchItemFailures"], TemplateQueries.Strings(properties["FunctionResponseTypes"]));
        Assert.Equal(
            BackendFunctions.IvsEvents.Queue!.MaximumConcurrency, properties["ScalingConfig"]!["MaximumConcurrency"]!.GetValue<int>());
    }

    [Fact]
    public void Only_the_ivs_rules_may_send_to_the_delivery_queue()
    {
        var queue = DeliveryQueue(_default).Id;
        var rules = _default.Resources("AWS::Events::Rule")
            .Where(r => r.Resource["Properties"]!["EventPattern"] is not null && !IsRecordingFailureRule(r.Resource))
            .Select(r => r.Id)
            .Order(StringComparer.Ordinal);
        var statements = _default.Resources("AWS::SQS::QueuePolicy")
            .Where(p => p.Resource["Properties"]!["Queues"]!.AsArray().Any(q => SynthesizedStack.Target(q) == queue))
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()))
            .Where(s => s["Effect"]!.GetValue<string>() == "Allow")
            .ToList();

        Assert.All(statements, s =>
        {
            Assert.Equal("events.amazonaws.com", s["Principal"]!["Service"]!.GetValue<string>());
            Assert.Equal(["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
                TemplateQueries.Strings(s["Action"]).Order(StringComparer.Ordinal));
        });
        Assert.Equal(
            rules, statements.Select(s => SynthesizedStack.Target(s["Condition"]!["ArnEquals"]!["aws:SourceArn"])).Order(
            StringComparer.Ordinal));
    }

    [Fact]
    public void The_reconciler_runs_every_minute()
    {
        var schedules = _default.Resources("AWS::Events::Rule").Where(
            r => r.Resource["Properties"]!["ScheduleExpression"] is not null).ToList();
        var schedule = Assert.Single(schedules);

        Assert.Equal("rate(1 minute)", schedule.Resource["Properties"]!["ScheduleExpression"]!.GetValue<string>());
        Assert.Equal(_default.FunctionIdsByHandler()[BackendFunctions.Reconciler.Handler],
            SynthesizedStack.Target(Assert.Single(schedule.Resource["Properties"]!["Targets"]!.AsArray())!["Arn"]));
    }

    [Fact]
    public void Every_rule_target_has_a_retry_policy_and_an_encrypted_dead_letter_queue()
    {
        // The three IVS rules, the reconciler's schedule, the recording failures (RecordingsTests).
        const int rules = 3 + 1 + 1;
        Assert.Equal(rules, _default.Resources("AWS::Events::Rule").Count());
        Assert.Equal(rules + 1, stacks.Configured.Resources("AWS::Events::Rule").Count());
        foreach (var stack in stacks.Both)
        {
            foreach (var (id, rule) in stack.Resources("AWS::Events::Rule"))
            {
                foreach (var target in rule["Properties"]!["Targets"]!.AsArray())
                {
                    Assert.True(target!["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>() > 0, id);
                    Assert.True(target["RetryPolicy"]!["MaximumEventAgeInSeconds"]!.GetValue<int>() >= 60, id);
                    var queue = stack.Resource(SynthesizedStack.Target(target["DeadLetterConfig"]!["Arn"]));
                    Assert.Equal("AWS::SQS::Queue", queue["Type"]!.GetValue<string>());
                    Assert.True(queue["Properties"]!["SqsManagedSseEnabled"]!.GetValue<bool>());
                }
            }
        }
    }

    [Fact]
    public void Every_function_has_error_and_throttle_alarms()
    {
        foreach (var stack in stacks.Both)
        {
            foreach (var functionId in stack.FunctionIdsByHandler().Values)
            {
                var alarms = Alarms(stack);
                Assert.Contains(alarms, a => a.Metric == "Errors" && a.Dimension == functionId);
                Assert.Contains(alarms, a => a.Metric == "Throttles" && a.Dimension == functionId);
            }
        }
    }

    [Fact]
    public void Every_dead_letter_queue_alarms_on_its_first_message()
    {
        // The ivs-events rules' and delivery queue's, the reconciler schedule's, the live notifier's stream failures and the
        // recording failure rule's.
        Assert.Equal(5, DeadLetterQueues(_default).Count());
        foreach (var stack in stacks.Both)
        {
            var alarms = Alarms(stack);
            Assert.All(
                DeadLetterQueues(stack), q =>
                Assert.Contains(alarms, a => a.Metric == "ApproximateNumberOfMessagesVisible" && a.Dimension == q.Id && a.Threshold == 0));
        }
    }

    [Fact]
    public void The_api_alarms_on_5xx()
    {
        var api = _default.HttpApiResources("AWS::ApiGatewayV2::Api").Single().Id;
        Assert.Contains(Alarms(_default), a => a.Metric == "5xx" && a.Dimension == api);
    }

    [Fact]
    public void Every_alarm_notifies_the_topic_which_the_configured_email_subscribes_to()
    {
        var topic = _default.Resources("AWS::SNS::Topic").Single().Id;
        Assert.All(_default.Resources("AWS::CloudWatch::Alarm"), a =>
        {
            Assert.Equal(topic, SynthesizedStack.Target(Assert.Single(a.Resource["Properties"]!["AlarmActions"]!.AsArray())));
            Assert.Equal("GreaterThanThreshold", a.Resource["Properties"]!["ComparisonOperator"]!.GetValue<string>());
            Assert.Equal("notBreaching", a.Resource["Properties"]!["TreatMissingData"]!.GetValue<string>());
        });
        Assert.Empty(_default.Resources("AWS::SNS::Subscription"));
        stacks.Configured.Template.HasResourceProperties(
            "AWS::SNS::Subscription", new Dictionary<string, object> { ["Protocol"] = "email", ["Endpoint"] = "ops@example.com" });
    }

    /// <summary>The one work queue (it has a redrive policy); every other queue is a dead-letter queue.</summary>
    private static (string Id, JsonObject Resource) DeliveryQueue(SynthesizedStack stack) =>
        Assert.Single(stack.Resources("AWS::SQS::Queue"), q => q.Resource["Properties"]!["RedrivePolicy"] is not null);

    private static IEnumerable<(string Id, JsonObject Resource)> DeadLetterQueues(SynthesizedStack stack) =>
        stack.Resources("AWS::SQS::Queue").Where(q => q.Resource["Properties"]!["RedrivePolicy"] is null);

    /// <summary>Key order does not matter to EventBridge.</summary>
    private static string Canonical(JsonNode pattern) =>
        string.Join(";", pattern.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value!.ToJsonString()));

    private static List<(string Metric, string Dimension, double Threshold)> Alarms(SynthesizedStack stack) =>
        [.. stack.Resources("AWS::CloudWatch::Alarm").Select(a =>
        {
            var properties = a.Resource["Properties"]!;
            var dimension = Assert.Single(properties["Dimensions"]!.AsArray())!;
            return (
                properties["MetricName"]!.GetValue<string>(), SynthesizedStack.Target(dimension["Value"]), properties[
                "Threshold"]!.GetValue<double>());
        })];

    /// <summary>The rule that sends recording failures to the alarm topic (not an ivs-events rule).</summary>
    private static bool IsRecordingFailureRule(JsonObject rule) => rule["Properties"]!["EventPattern"]!["detail"] is not null;
}
