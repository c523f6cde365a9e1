using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using IvsServerless.Cdk.Tests.Support;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Routes;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Lambda;

namespace IvsServerless.Cdk.Tests;

[Collection(CdkCollection.Name)]
public sealed class DataAndFunctionTests(SynthesizedStacks stacks)
{
    // The stack without the signing key's parts (tokenMode=api; otherwise the defaults): the configured one has them.
    private readonly SynthesizedStack _default = stacks.ApiMode;

    [Fact]
    public void The_table_declares_exactly_the_keys_and_indexes_of_the_table_layout()
    {
        var definition = TableLayout.Definition("x");
        var table = Assert.Single(_default.Resources("AWS::DynamoDB::Table")).Resource["Properties"]!;

        Assert.Equal(
            definition.AttributeDefinitions.Select(a => (a.AttributeName, a.AttributeType.Value)).Order(),
            table["AttributeDefinitions"]!.AsArray().Select(
                a => (a!["AttributeName"]!.GetValue<string>(), a["AttributeType"]!.GetValue<string>())).Order());
        Assert.Equal(Keys(definition.KeySchema), Keys(table["KeySchema"]));
        var indexes = table["GlobalSecondaryIndexes"]!.AsArray().ToDictionary(i => i!["IndexName"]!.GetValue<string>());
        Assert.Equal(definition.GlobalSecondaryIndexes.Select(i => i.IndexName).Order(), indexes.Keys.Order());
        foreach (var index in definition.GlobalSecondaryIndexes)
        {
            Assert.Equal(Keys(index.KeySchema), Keys(indexes[index.IndexName]!["KeySchema"]));
            Assert.Equal(
                index.Projection.ProjectionType.Value, indexes[index.IndexName]!["Projection"]!["ProjectionType"]!.GetValue<string>());
        }
    }

    [Fact]
    public void The_table_is_on_demand_with_point_in_time_recovery_and_ttl()
    {
        _default.Template.HasResourceProperties("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
            ["TimeToLiveSpecification"] = new Dictionary<string, object> { ["AttributeName"] = TableLayout.ExpiresAt, ["Enabled"] = true },
        });
    }

    [Fact]
    public void Table_and_user_pool_are_retained_by_default_and_destroyed_only_when_asked()
    {
        _default.Template.HasResource(
            "AWS::DynamoDB::Table", new Dictionary<string, object> { ["DeletionPolicy"] = "Retain", ["UpdateReplacePolicy"] = "Retain" });
        _default.Template.HasResource("AWS::Cognito::UserPool", new Dictionary<string, object> { ["DeletionPolicy"] = "Retain" });
        stacks.Configured.Template.HasResource("AWS::DynamoDB::Table", new Dictionary<string, object> { ["DeletionPolicy"] = "Delete" });
    }

    /// <summary>The functions of every deployment (key-rotation comes with self-signed tokens).</summary>
    private static readonly string[] Deployed =
        ["compositions", "ivs-events", "live-authorizer", "live-connections", "notifier", "reconciler", "stages", "tokens"];

    [Fact]
    public void Every_handler_name_used_in_the_stack_is_in_the_lambda_dispatch_table()
    {
        Assert.Equal(Deployed, _default.FunctionIdsByHandler().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            Deployed.Append("key-rotation").Order(StringComparer.Ordinal), stacks.Configured.FunctionIdsByHandler().Keys.Order(
            StringComparer.Ordinal));
        Assert.All(stacks.Configured.FunctionIdsByHandler().Keys, name => Assert.Contains(name, FunctionHandlers.Registry().Names));
    }

    [Fact]
    public void The_only_function_not_running_the_bootstrap_is_the_cdk_custom_resource_framework_of_self_signed_mode()
    {
        Assert.Equal(_default.FunctionIdsByHandler().Count, _default.Resources("AWS::Lambda::Function").Count());
        var other = Assert.Single(
            stacks.Configured.Resources("AWS::Lambda::Function"), f => !stacks.Configured.FunctionIdsByHandler().Values.Contains(f.Id));
        Assert.Equal("framework.onEvent", other.Resource["Properties"]!["Handler"]!.GetValue<string>());
    }

    [Fact]
    public void Every_function_runs_the_aot_bootstrap_on_al2023_with_explicit_memory_timeout_json_logs_and_tracing()
    {
        Assert.Equal(Deployed.Length, _default.FunctionIdsByHandler().Count);
        foreach (var stack in stacks.Both)
        {
            foreach (var id in stack.FunctionIdsByHandler().Values)
            {
                var properties = stack.Properties(id);
                Assert.InRange(properties["MemorySize"]!.GetValue<int>(), 128, 1024);
                Assert.InRange(properties["Timeout"]!.GetValue<int>(), 1, 60);
                Assert.Equal("Active", properties["TracingConfig"]!["Mode"]!.GetValue<string>());
                Assert.Equal("JSON", properties["LoggingConfig"]!["LogFormat"]!.GetValue<string>());
                var logGroup = stack.Resource(SynthesizedStack.Target(properties["LoggingConfig"]!["LogGroup"]));
                Assert.Equal("AWS::Logs::LogGroup", logGroup["Type"]!.GetValue<string>());
                Assert.Equal(30, logGroup["Properties"]!["RetentionInDays"]!.GetValue<int>());
                Assert.NotNull(properties["Code"]!["S3Key"]);
            }
        }
    }

    [Fact]
    public void The_architecture_is_x86_64_by_default_and_configurable()
    {
        Assert.All(
            _default.FunctionIdsByHandler().Values, id =>
            Assert.Equal(["x86_64"], TemplateQueries.Strings(_default.Properties(id)["Architectures"])));
        Assert.All(
            stacks.Configured.FunctionIdsByHandler().Values, id =>
            Assert.Equal(["arm64"], TemplateQueries.Strings(stacks.Configured.Properties(id)["Architectures"])));
    }

    [Fact]
    public void Each_function_has_its_own_role_assumable_only_by_lambda_with_no_managed_policies()
    {
        foreach (var stack in stacks.Both)
        {
            var roles = stack.Resources("AWS::Lambda::Function").Select(f => stack.RoleOf(f.Id)).ToList();

            Assert.Equal(roles.Count, roles.Distinct().Count());
            Assert.Equal(roles.Count, stack.Resources("AWS::IAM::Role").Count());
            foreach (var role in roles)
            {
                var properties = stack.Properties(role);
                Assert.Null(properties["ManagedPolicyArns"]);
                var trust = Assert.Single(properties["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
                Assert.Equal("lambda.amazonaws.com", trust["Principal"]!["Service"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public void Functions_get_the_settings_they_read_and_never_AWS_REGION()
    {
        var byHandler = _default.FunctionIdsByHandler();
        JsonObject Variables(SynthesizedStack stack, string handler) =>
            stack.Properties(stack.FunctionIdsByHandler()[handler])["Environment"]!["Variables"]!.AsObject();

        foreach (var handler in byHandler.Keys)
        {
            var variables = Variables(_default, handler);
            Assert.Equal(_default.Resources("AWS::DynamoDB::Table").Single().Id, SynthesizedStack.Target(variables["TABLE_NAME"]));
            Assert.Equal("ivs-serverless", variables["DEPLOYMENT_TAG"]!.GetValue<string>());
            Assert.False(variables.ContainsKey("AWS_REGION"));
        }

        Assert.Equal("720", Variables(_default, BackendFunctions.Tokens.Handler)["TOKEN_MAX_DURATION_MINUTES"]!.GetValue<string>());
        Assert.Equal("60", Variables(stacks.Configured, BackendFunctions.Tokens.Handler)["TOKEN_MAX_DURATION_MINUTES"]!.GetValue<string>());
        Assert.Equal("15", Variables(stacks.Configured, BackendFunctions.Reconciler.Handler)["IDLE_STAGE_MINUTES"]!.GetValue<string>());
        Assert.Equal("5", Variables(_default, BackendFunctions.Reconciler.Handler)["RECONCILER_CALLS_PER_SECOND"]!.GetValue<string>());
        Assert.Equal(
            "2", Variables(stacks.Configured, BackendFunctions.Reconciler.Handler)["RECONCILER_CALLS_PER_SECOND"]!.GetValue<string>());

        // By default compositions record into the recordings bucket (where the API plays and deletes them); a bucket given in
        // context takes its place.
        var byDefault = Variables(_default, BackendFunctions.Compositions.Handler);
        Assert.Equal(
            _default.Resources("AWS::IVS::StorageConfiguration").Single().Id,
            SynthesizedStack.Target(byDefault["COMPOSITION_STORAGE_CONFIGURATION_ARN"]));
        Assert.Equal(
            SynthesizedStack.Target(Variables(_default, BackendFunctions.Stages.Handler)["RECORDING_STORAGE_CONFIGURATION_ARN"]),
            SynthesizedStack.Target(byDefault["COMPOSITION_STORAGE_CONFIGURATION_ARN"]));
        Assert.Equal(
            _default.Resources("AWS::IVS::EncoderConfiguration").Single().Id,
            SynthesizedStack.Target(byDefault["COMPOSITION_ENCODER_CONFIGURATION_ARN"]));
        var configured = Variables(stacks.Configured, BackendFunctions.Compositions.Handler);
        Assert.Equal(
            stacks.Configured.Resources("AWS::IVS::StorageConfiguration").Single(IsCompositionStorage).Id, SynthesizedStack.Target(
            configured["COMPOSITION_STORAGE_CONFIGURATION_ARN"]));
        Assert.Equal(
            stacks.Configured.Resources("AWS::IVS::EncoderConfiguration").Single().Id, SynthesizedStack.Target(
            configured["COMPOSITION_ENCODER_CONFIGURATION_ARN"]));
        Assert.Equal("arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234", configured["COMPOSITION_CHANNEL_ARN"]!.GetValue<string>());
    }

    [Fact]
    public void No_function_reserves_concurrency_which_new_accounts_cannot_grant()
    {
        Assert.All(
            stacks.Both.SelectMany(s => s.Resources("AWS::Lambda::Function")), f =>
            Assert.Null(f.Resource["Properties"]!["ReservedConcurrentExecutions"]));
    }

    [Fact]
    public void A_default_encoder_configuration_always_and_a_storage_configuration_of_its_own_only_with_a_bucket()
    {
        _default.Template.ResourceCountIs("AWS::IVS::EncoderConfiguration", 1);
        Assert.DoesNotContain(_default.Resources("AWS::IVS::StorageConfiguration"), IsCompositionStorage);
        _default.Template.ResourceCountIs("AWS::IVS::StorageConfiguration", 1);
        stacks.Configured.Template.HasResourceProperties("AWS::IVS::StorageConfiguration", new Dictionary<string, object>
        {
            ["S3"] = new Dictionary<string, object> { ["BucketName"] = "my-recordings" },
        });
        _default.Template.HasResourceProperties("AWS::IVS::EncoderConfiguration", new Dictionary<string, object>
        {
            ["Video"] = Match.ObjectLike(new Dictionary<string, object> { ["Width"] = 1280, ["Height"] = 720 }),
        });
    }

    private static List<(string, string)> Keys(List<Amazon.DynamoDBv2.Model.KeySchemaElement> schema) =>
        [.. schema.Select(k => (k.AttributeName, k.KeyType.Value))];

    private static List<(string, string)> Keys(JsonNode? schema) =>
        [.. schema!.AsArray().Select(k => (k!["AttributeName"]!.GetValue<string>(), k["KeyType"]!.GetValue<string>()))];

    /// <summary>The composition bucket's storage configuration (a bucket name given in context), not the recordings bucket's.</summary>
    private static bool IsCompositionStorage((string Id, System.Text.Json.Nodes.JsonObject Resource) storage) =>
        storage.Resource["Properties"]!["S3"]!["BucketName"] is System.Text.Json.Nodes.JsonValue;
}
