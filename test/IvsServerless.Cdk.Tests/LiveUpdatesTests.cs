using System.Text.Json.Nodes;
using IvsServerless.Cdk.Tests.Support;
using IvsServerless.Deployment.Functions;

namespace IvsServerless.Cdk.Tests;

/// <summary>The live-updates WebSocket API, its authorizer, the notifier's stream mapping, its grants and alarms.</summary>
[Collection(CdkCollection.Name)]
public sealed class LiveUpdatesTests(SynthesizedStacks stacks)
{
    private readonly SynthesizedStack _default = stacks.Default;

    private (string Id, JsonObject Resource) WebSocketApi =>
        Assert.Single(
            _default.Resources("AWS::ApiGatewayV2::Api"), a =>
            a.Resource["Properties"]!["ProtocolType"]!.GetValue<string>() == "WEBSOCKET");

    private IEnumerable<(string Id, JsonObject Resource)> OfWebSocketApi(string type) =>
        _default.Resources(type).Where(r => SynthesizedStack.Target(r.Resource["Properties"]!["ApiId"]) == WebSocketApi.Id);

    private string FunctionId(FunctionDeclaration function) => _default.FunctionIdsByHandler()[function.Handler];

    [Fact]
    public void The_websocket_api_routes_connect_disconnect_and_default_to_the_routes_function_and_answers_on_default()
    {
        var routes = OfWebSocketApi("AWS::ApiGatewayV2::Route").ToDictionary(
            r => r.Resource["Properties"]!["RouteKey"]!.GetValue<string>(), r => r.Resource["Properties"]!);
        Assert.Equal(["$connect", "$default", "$disconnect"], routes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("$action", WebSocketApi.Resource["Properties"]!["RouteSelectionExpression"]!.GetValue<string>()
            .Replace("$request.body.", "$", StringComparison.Ordinal));
        foreach (var route in routes.Values)
        {
            var integrationId = SynthesizedStack.Target(route["Target"]!["Fn::Join"]![1]![1]);
            // IntegrationUri: the API Gateway invocation ARN of the function, an Fn::Join around its Arn.
            Assert.Contains($$"""{"Fn::GetAtt":["{{FunctionId(BackendFunctions.LiveConnections)}}","Arn"]}""",
                _default.Properties(integrationId)["IntegrationUri"]!.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal("$default", routes["$default"]["RouteResponseSelectionExpression"]!.GetValue<string>());
        Assert.Single(OfWebSocketApi("AWS::ApiGatewayV2::RouteResponse"));
        Assert.Equal("NONE", routes["$default"]["AuthorizationType"]!.GetValue<string>());
    }

    [Fact]
    public void Connect_is_behind_the_lambda_authorizer_reading_the_token_query_parameter()
    {
        var (authorizerId, authorizer) = Assert.Single(OfWebSocketApi("AWS::ApiGatewayV2::Authorizer"));
        var properties = authorizer["Properties"]!;
        Assert.Equal("REQUEST", properties["AuthorizerType"]!.GetValue<string>());
        Assert.Equal(["route.request.querystring.token"], TemplateQueries.Strings(properties["IdentitySource"]));
        Assert.Contains(FunctionId(BackendFunctions.LiveAuthorizer), properties["AuthorizerUri"]!.ToJsonString(), StringComparison.Ordinal);

        var connect = OfWebSocketApi("AWS::ApiGatewayV2::Route").Single(
            r => r.Resource["Properties"]!["RouteKey"]!.GetValue<string>() == "$connect");
        Assert.Equal("CUSTOM", connect.Resource["Properties"]!["AuthorizationType"]!.GetValue<string>());
        Assert.Equal(authorizerId, SynthesizedStack.Target(connect.Resource["Properties"]!["AuthorizerId"]));

        var variables = _default.Properties(FunctionId(BackendFunctions.LiveAuthorizer))["Environment"]!["Variables"]!;
        Assert.NotNull(variables["LIVE_JWT_ISSUER"]);
        Assert.NotNull(variables["LIVE_JWT_AUDIENCES"]);
    }

    [Fact]
    public void The_notifier_posts_to_this_api_connections_only()
    {
        var statements = _default.StatementsOf(_default.RoleOf(FunctionId(BackendFunctions.LiveNotifier)));
        var manage = Assert.Single(statements, s => TemplateQueries.Strings(s["Action"]).Contains("execute-api:ManageConnections"));
        Assert.Equal(["execute-api:ManageConnections"], TemplateQueries.Strings(manage["Action"]));
        var resource = Assert.Single(TemplateQueries.ResourcesOf(manage))!.ToJsonString();
        Assert.Contains($"\"{WebSocketApi.Id}\"", resource, StringComparison.Ordinal);
        Assert.Contains("/live/POST/@connections/*", resource, StringComparison.Ordinal);

        Assert.All(_default.FunctionIdsByHandler().Where(f => f.Key != BackendFunctions.LiveNotifier.Handler), f =>
            Assert.DoesNotContain(_default.StatementsOf(_default.RoleOf(f.Value)),
                s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("execute-api:", StringComparison.Ordinal))));
        var endpoint = _default.Properties(FunctionId(BackendFunctions.LiveNotifier))["Environment"]!["Variables"]![
            "LIVE_MANAGEMENT_ENDPOINT"]!;
        Assert.Contains(WebSocketApi.Id, endpoint.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_streams_both_images_and_only_the_notifier_reads_the_stream()
    {
        var table = Assert.Single(_default.Resources("AWS::DynamoDB::Table"));
        Assert.Equal("NEW_AND_OLD_IMAGES", table.Resource["Properties"]!["StreamSpecification"]!["StreamViewType"]!.GetValue<string>());

        var readers = _default.FunctionIdsByHandler().Where(f => _default.StatementsOf(_default.RoleOf(f.Value))
            .Any(s => TemplateQueries.Strings(s["Action"]).Contains("dynamodb:GetRecords"))).Select(f => f.Key);
        Assert.Equal([BackendFunctions.LiveNotifier.Handler], readers);
        var stream = _default.StatementsOf(_default.RoleOf(FunctionId(BackendFunctions.LiveNotifier)))
            .Single(s => TemplateQueries.Strings(s["Action"]).Contains("dynamodb:GetRecords"));
        Assert.Equal(
            $$"""{"Fn::GetAtt":["{{table.Id}}","StreamArn"]}""", Assert.Single(TemplateQueries.ResourcesOf(stream))!.ToJsonString());
    }

    [Fact]
    public void The_stream_mapping_filters_bisects_retries_a_bounded_number_of_times_and_keeps_failures()
    {
        var mapping = Assert.Single(
            _default.Resources("AWS::Lambda::EventSourceMapping"),
            m => m.Resource["Properties"]!["StartingPosition"] is not null).Resource["Properties"]!;
        var trigger = BackendFunctions.LiveNotifier.TableStream!;

        Assert.Equal(FunctionId(BackendFunctions.LiveNotifier), SynthesizedStack.Target(mapping["FunctionName"]));
        Assert.True(mapping["BisectBatchOnFunctionError"]!.GetValue<bool>());
        Assert.Equal(trigger.MaxRetries, mapping["MaximumRetryAttempts"]!.GetValue<int>());
        Assert.Equal(trigger.BatchSize, mapping["BatchSize"]!.GetValue<int>());
        Assert.Equal(["ReportBatchItemFailures"], TemplateQueries.Strings(mapping["FunctionResponseTypes"]));
        Assert.Equal("""{"dynamodb":{"Keys":{"PK":{"S":[{"prefix":"STAGE#"}]}}}}""",
            Assert.Single(mapping["FilterCriteria"]!["Filters"]!.AsArray())!["Pattern"]!.GetValue<string>());
        var queue = SynthesizedStack.Target(mapping["DestinationConfig"]!["OnFailure"]!["Destination"]);
        Assert.Equal("AWS::SQS::Queue", _default.Resource(queue)["Type"]!.GetValue<string>());
    }

    [Fact]
    public void The_notifier_alarms_on_errors_and_on_falling_behind_the_stream_and_the_url_is_an_output()
    {
        var alarms = _default.Resources("AWS::CloudWatch::Alarm").Select(a => a.Resource["Properties"]!).ToList();
        Assert.Contains(alarms, a => a["MetricName"]?.GetValue<string>() == "IteratorAge");
        Assert.Contains(alarms, a => a["MetricName"]?.GetValue<string>() == "Errors"
            && a["Dimensions"]!.ToJsonString().Contains(FunctionId(BackendFunctions.LiveNotifier), StringComparison.Ordinal));
        Assert.NotNull(_default.Json["Outputs"]!["LiveUrl"]);
    }
}
