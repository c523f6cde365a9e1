using IvsServerless.Cdk.Access;
using IvsServerless.Cdk.Tests.Support;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Routes;

namespace IvsServerless.Cdk.Tests;

/// <summary>Least privilege: explicit actions, per function, on this stack's resources.</summary>
[Collection(CdkCollection.Name)]
public sealed class IamTests(SynthesizedStacks stacks)
{
    [Fact]
    public void No_statement_uses_a_wildcard_action()
    {
        foreach (var stack in new[] { stacks.Default, stacks.Configured })
        {
            Assert.All(
                stack.AllStatements().SelectMany(s => TemplateQueries.Strings(s["Action"])), action =>
                Assert.DoesNotContain("*", action, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Resource_star_appears_only_for_actions_aws_offers_no_resource_level_permission_for()
    {
        Assert.All(FunctionAccess.StarResourceActions.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
        foreach (var stack in new[] { stacks.Default, stacks.Configured })
        {
            foreach (var statement in stack.AllStatements().Where(
                s => TemplateQueries.ResourcesOf(s).Any(r => r?.ToJsonString() == "\"*\"")))
            {
                Assert.All(
                    TemplateQueries.Strings(statement["Action"]), action =>
                    Assert.Contains(action, FunctionAccess.StarResourceActions.Keys));
            }
        }
    }

    [Fact]
    public void Each_function_may_call_exactly_the_ivs_actions_its_code_calls()
    {
        var stack = stacks.Configured;

        Assert.Equal(
            [
                "ivs:CreateStage", "ivs:DeleteStage", "ivs:DisconnectParticipant", "ivs:GetStage", "ivs:ListParticipants",
                "ivs:TagResource", "ivs:UpdateStage"],
            stack.IvsActionsOf(BackendFunctions.Stages.Handler));
        // Tokens, kicks and bans; ingest configurations and participant replication (host tools) in both token modes.
        string[] hostTools =
        [
            "ivs:CreateIngestConfiguration", "ivs:DeleteIngestConfiguration", "ivs:GetIngestConfiguration", "ivs:ListIngestConfigurations",
            "ivs:ListParticipantReplicas", "ivs:StartParticipantReplication", "ivs:StopParticipantReplication", "ivs:TagResource"];
        Assert.Equal(
            new[]
                {
                    "ivs:CreateParticipantToken", "ivs:DisconnectParticipant", "ivs:GetParticipant", "ivs:GetStage", "ivs:ListParticipants",
                }
                .Concat(hostTools).Order(StringComparer.Ordinal),
            stacks.ApiMode.IvsActionsOf(BackendFunctions.Tokens.Handler));
        Assert.Equal(
            new[] { "ivs:DisconnectParticipant", "ivs:GetParticipant", "ivs:GetStage", "ivs:ListParticipants" }
                .Concat(hostTools).Order(StringComparer.Ordinal),
            stack.IvsActionsOf(BackendFunctions.Tokens.Handler));
        Assert.Equal(
            ["ivs:DeletePublicKey", "ivs:ImportPublicKey", "ivs:ListPublicKeys", "ivs:TagResource"], stack.IvsActionsOf(
            BackendFunctions.KeyRotation.Handler));
        Assert.Equal(
            ["ivs:StartComposition", "ivs:StopComposition", "ivs:TagResource"], stack.IvsActionsOf(BackendFunctions.Compositions.Handler));
        Assert.Equal(["ivs:ListParticipantEvents"], stack.IvsActionsOf(BackendFunctions.IvsEvents.Handler));
        Assert.Equal(
            [
                "ivs:DeleteStage", "ivs:GetComposition", "ivs:GetStage", "ivs:ListParticipantEvents", "ivs:ListParticipants",
                "ivs:ListStageSessions", "ivs:ListStages", "ivs:TagResource"],
            stack.IvsActionsOf(BackendFunctions.Reconciler.Handler));
    }

    [Fact]
    public void Ivs_actions_are_scoped_to_ivs_resource_arns_of_this_account_and_region()
    {
        foreach (var statement in stacks.Configured.AllStatements().Where(
            s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("ivs:", StringComparison.Ordinal))))
        {
            Assert.All(TemplateQueries.ResourcesOf(statement), resource =>
            {
                var text = resource!.ToJsonString();
                Assert.True(
                    text.Contains(":ivs:", StringComparison.Ordinal) && text.Contains("AWS::AccountId", StringComparison.Ordinal)
                    || text.Contains("EncoderConfiguration", StringComparison.Ordinal)
                        || text.Contains("StorageConfiguration", StringComparison.Ordinal)
                    || text == "\"arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234\""
                    || text == "\"*\"" && TemplateQueries.Strings(statement["Action"]).All(FunctionAccess.StarResourceActions.ContainsKey),
                    text);
            });
        }
    }

    [Fact]
    public void Compositions_start_only_with_this_deployment_s_configurations_and_channel()
    {
        var statements = stacks.Configured.StatementsOf(
            stacks.Configured.RoleOf(stacks.Configured.FunctionIdsByHandler()[BackendFunctions.Compositions.Handler]));
        var start = Assert.Single(statements, s => TemplateQueries.Strings(s["Action"]).Contains("ivs:StartComposition"));
        var resources = TemplateQueries.ResourcesOf(start).Select(r => r!.ToJsonString()).ToList();

        Assert.Equal(5, resources.Count);
        Assert.Contains(resources, r => r.EndsWith(":composition/*\"]]}", StringComparison.Ordinal));
        Assert.Contains(resources, r => r.EndsWith(":stage/*\"]]}", StringComparison.Ordinal));
        Assert.Contains(
            resources, r =>
            r.Contains(stacks.Configured.Resources("AWS::IVS::EncoderConfiguration").Single().Id, StringComparison.Ordinal));
        Assert.Contains(
            resources, r =>
            r.Contains(
                stacks.Configured.Resources("AWS::IVS::StorageConfiguration").Single(IsCompositionStorage).Id, StringComparison.Ordinal));
        Assert.Contains("\"arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234\"", resources);
    }

    [Fact]
    public void Dynamodb_actions_are_per_function_on_the_table_and_only_queries_and_scans_reach_its_indexes()
    {
        var stack = stacks.Default;
        var table = stack.Resources("AWS::DynamoDB::Table").Single().Id;
        var expected = new Dictionary<string, string[]>
        {
            [BackendFunctions.Stages.Handler] = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
            [BackendFunctions.Tokens.Handler] = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            [BackendFunctions.Compositions.Handler] = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
            [BackendFunctions.IvsEvents.Handler] =
            [
                "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                "dynamodb:UpdateItem",
            ],
            [BackendFunctions.Reconciler.Handler] =
                ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"],
            [BackendFunctions.LiveAuthorizer.Handler] = [],
            [BackendFunctions.LiveConnections.Handler] = [
                "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            [BackendFunctions.LiveNotifier.Handler] =
            [
                "dynamodb:DeleteItem", "dynamodb:DescribeStream", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                "dynamodb:ListStreams", "dynamodb:Query", "dynamodb:UpdateItem",
            ],
            [BackendFunctions.KeyRotation.Handler] = [],
        };

        foreach (var (handler, functionId) in stack.FunctionIdsByHandler())
        {
            var statements = stack.StatementsOf(stack.RoleOf(functionId))
                .Where(s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)))
                .ToList();
            Assert.Equal(
                expected[handler], statements.SelectMany(s => TemplateQueries.Strings(s["Action"])).Distinct().Order(
                StringComparer.Ordinal));
            foreach (var statement in statements)
            {
                var resource = Assert.Single(TemplateQueries.ResourcesOf(statement))!;
                var onIndexes = resource.ToJsonString().Contains("/index/*", StringComparison.Ordinal);
                Assert.Contains($"\"{table}\"", resource.ToJsonString(), StringComparison.Ordinal);
                if (onIndexes)
                {
                    Assert.Subset(new HashSet<string>(["dynamodb:Query", "dynamodb:Scan"]),
                        TemplateQueries.Strings(statement["Action"]).ToHashSet());
                }
            }
        }
    }

    [Fact]
    public void Log_writes_are_scoped_to_the_function_own_log_group()
    {
        foreach (var stack in stacks.Both)
        {
            foreach (var functionId in stack.FunctionIdsByHandler().Values)
            {
                var logGroup = SynthesizedStack.Target(stack.Properties(functionId)["LoggingConfig"]!["LogGroup"]);
                var logs = Assert.Single(
                    stack.StatementsOf(stack.RoleOf(functionId)), s =>
                    TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("logs:", StringComparison.Ordinal)));
                Assert.Equal(logGroup, SynthesizedStack.Target(Assert.Single(TemplateQueries.ResourcesOf(logs))));
            }
        }
    }

    [Fact]
    public void Only_the_ivs_events_function_consumes_its_delivery_queue_and_only_that_queue()
    {
        var stack = stacks.Default;
        var queue = stack.Resources("AWS::SQS::Queue").Single(q => q.Resource["Properties"]!["RedrivePolicy"] is not null).Id;
        foreach (var (handler, functionId) in stack.FunctionIdsByHandler())
        {
            var consuming = stack.StatementsOf(stack.RoleOf(functionId))
                .Where(s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("sqs:Receive", StringComparison.Ordinal)))
                .ToList();
            if (handler != BackendFunctions.IvsEvents.Handler)
            {
                Assert.Empty(consuming);
                continue;
            }

            var statement = Assert.Single(consuming);
            Assert.Equal(
                ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
                TemplateQueries.Strings(statement["Action"]).Order(StringComparer.Ordinal));
            Assert.Equal(queue, SynthesizedStack.Target(Assert.Single(TemplateQueries.ResourcesOf(statement))));
        }
    }

    /// <summary>The composition bucket's storage configuration (a bucket name given in context), not the recordings bucket's.</summary>
    private static bool IsCompositionStorage((string Id, System.Text.Json.Nodes.JsonObject Resource) storage) =>
        storage.Resource["Properties"]!["S3"]!["BucketName"] is System.Text.Json.Nodes.JsonValue;
}
