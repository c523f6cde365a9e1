using System.Text.Json.Nodes;
using IvsServerless.Cdk.Tests.Support;
using IvsServerless.Deployment.Functions;

namespace IvsServerless.Cdk.Tests;

/// <summary>The recordings bucket as IVS needs it and locked down, its storage configuration, the API's grants on it, the alarm.</summary>
[Collection(CdkCollection.Name)]
public sealed class RecordingsTests(SynthesizedStacks stacks)
{
    [Fact]
    public void The_bucket_is_sse_s3_owner_enforced_private_tls_only_and_expires_objects()
    {
        foreach (var (stack, days) in new[] { (stacks.Default, 30), (stacks.Configured, 7) })
        {
            var (bucketId, bucket) = RecordingsBucket(stack);
            var properties = bucket["Properties"]!;
            Assert.Equal("AES256", properties["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!
                ["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.GetValue<string>());
            Assert.Equal("BucketOwnerEnforced", properties["OwnershipControls"]!["Rules"]![0]!["ObjectOwnership"]!.GetValue<string>());
            var block = properties["PublicAccessBlockConfiguration"]!.AsObject();
            Assert.Equal(
                ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"],
                block.Where(p => p.Value!.GetValue<bool>()).Select(p => p.Key).Order(StringComparer.Ordinal));
            var expiry = Assert.Single(properties["LifecycleConfiguration"]!["Rules"]!.AsArray(), r => r!["ExpirationInDays"] is not null);
            Assert.Equal(days, expiry!["ExpirationInDays"]!.GetValue<int>());
            Assert.Equal(["GET", "HEAD"], TemplateQueries.Strings(properties["CorsConfiguration"]!["CorsRules"]![0]!["AllowedMethods"]));

            var policy = Assert.Single(
                stack.Resources("AWS::S3::BucketPolicy"), p => SynthesizedStack.Target(p.Resource["Properties"]!["Bucket"]) == bucketId);
            var denyPlainHttp = Assert.Single(policy.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(),
                s => s!["Effect"]!.GetValue<string>() == "Deny");
            Assert.Equal("false", denyPlainHttp!["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>());
            Assert.Equal(["s3:*"], TemplateQueries.Strings(denyPlainHttp["Action"]));
        }
    }

    [Fact]
    public void Stages_record_into_a_storage_configuration_of_that_bucket_and_the_stages_function_knows_both()
    {
        foreach (var stack in stacks.Both)
        {
            var (bucketId, _) = RecordingsBucket(stack);
            var storage = Assert.Single(stack.Resources("AWS::IVS::StorageConfiguration"),
                s => s.Resource["Properties"]!["S3"]!["BucketName"] is JsonObject name && SynthesizedStack.Target(name) == bucketId);

            var environment = stack.Properties(stack.FunctionIdsByHandler()[BackendFunctions.Stages.Handler])["Environment"]!["Variables"]!;
            Assert.Equal(bucketId, SynthesizedStack.Target(environment["RECORDINGS_BUCKET"]));
            Assert.Equal(storage.Id, SynthesizedStack.Target(environment["RECORDING_STORAGE_CONFIGURATION_ARN"]));
            Assert.Null(environment["S3_ENDPOINT_URL"]);
        }

        Assert.Equal("15", stacks.Configured.Properties(stacks.Configured.FunctionIdsByHandler()[BackendFunctions.Stages.Handler])
            ["Environment"]!["Variables"]!["RECORDING_PLAYBACK_URL_MINUTES"]!.GetValue<string>());
    }

    [Fact]
    public void Only_the_stages_function_touches_the_bucket_reading_and_deleting_its_objects_and_listing_it()
    {
        foreach (var stack in stacks.Both)
        {
            var (bucketId, _) = RecordingsBucket(stack);
            var stagesRole = stack.RoleOf(stack.FunctionIdsByHandler()[BackendFunctions.Stages.Handler]);
            foreach (var (handler, functionId) in stack.FunctionIdsByHandler())
            {
                var s3 = stack.StatementsOf(stack.RoleOf(functionId))
                    .Where(s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("s3:", StringComparison.Ordinal))).ToList();
                if (stack.RoleOf(functionId) != stagesRole)
                {
                    Assert.True(s3.Count == 0, $"{handler} has S3 actions");
                    continue;
                }

                var objects = Assert.Single(s3, s => s["Sid"]?.GetValue<string>() == "RecordingObjects");
                Assert.Equal(["s3:DeleteObject", "s3:GetObject"], TemplateQueries.Strings(objects["Action"]));
                var objectArn = Assert.Single(TemplateQueries.ResourcesOf(objects))!["Fn::Join"]![1]!.AsArray();
                Assert.Equal(bucketId, SynthesizedStack.Target(objectArn[0]));
                Assert.Equal("/*", objectArn[1]!.GetValue<string>());

                var list = Assert.Single(s3, s => s["Sid"]?.GetValue<string>() == "RecordingList");
                Assert.Equal(["s3:ListBucket"], TemplateQueries.Strings(list["Action"]));
                Assert.Equal(bucketId, SynthesizedStack.Target(Assert.Single(TemplateQueries.ResourcesOf(list))));
                Assert.Equal(2, s3.Count);
            }
        }
    }

    [Fact]
    public void Recording_failures_reach_the_alarm_topic_and_raise_an_alarm()
    {
        foreach (var stack in stacks.Both)
        {
            var rule = Assert.Single(stack.Resources("AWS::Events::Rule"),
                r => r.Resource["Properties"]!["EventPattern"]?["detail"]?["event_name"] is not null);
            Assert.Equal(
                ["IVS Participant Recording State Change"],
                TemplateQueries.Strings(rule.Resource["Properties"]!["EventPattern"]!["detail-type"]));
            var pattern = rule.Resource["Properties"]!["EventPattern"]!;
            Assert.Equal(["Recording Start Failure", "Recording End Failure"], TemplateQueries.Strings(pattern["detail"]!["event_name"]));
            var topic = SynthesizedStack.Target(Assert.Single(rule.Resource["Properties"]!["Targets"]!.AsArray())!["Arn"]);
            Assert.Equal("AWS::SNS::Topic", stack.Resource(topic)["Type"]!.GetValue<string>());

            var alarm = Assert.Single(stack.Resources("AWS::CloudWatch::Alarm"),
                a => a.Resource["Properties"]!["MetricName"]?.GetValue<string>() == "TriggeredRules");
            Assert.Equal(rule.Id, SynthesizedStack.Target(alarm.Resource["Properties"]!["Dimensions"]![0]!["Value"]));
            Assert.Equal(topic, SynthesizedStack.Target(alarm.Resource["Properties"]!["AlarmActions"]![0]));
        }
    }

    /// <summary>The bucket of the recordings construct (the only bucket with a CORS configuration).</summary>
    private static (string Id, JsonObject Bucket) RecordingsBucket(SynthesizedStack stack) =>
        Assert.Single(stack.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith("RecordingsBucket", StringComparison.Ordinal));
}
