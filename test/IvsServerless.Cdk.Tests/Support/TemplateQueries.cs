using System.Text.Json.Nodes;

namespace IvsServerless.Cdk.Tests.Support;

/// <summary>Reads the template the way a reviewer would: functions by handler, their roles and policy statements.</summary>
public static class TemplateQueries
{
    /// <summary>The backend's own functions (the bootstrap on provided.al2023) by handler name.</summary>
    public static IReadOnlyDictionary<string, string> FunctionIdsByHandler(this SynthesizedStack stack) =>
        stack.Resources("AWS::Lambda::Function")
            .Where(f => Strings(f.Resource["Properties"]!["Runtime"]).SequenceEqual(["provided.al2023"]))
            .ToDictionary(f => f.Resource["Properties"]!["Handler"]!.GetValue<string>(), f => f.Id);

    /// <summary>Resources of the HTTP API only (the live-updates WebSocket API has its own API, routes, stage and authorizer).</summary>
    public static IEnumerable<(string Id, JsonObject Resource)> HttpApiResources(this SynthesizedStack stack, string type)
    {
        var http = stack.Resources("AWS::ApiGatewayV2::Api")
            .Where(a => a.Resource["Properties"]!["ProtocolType"]?.GetValue<string>() == "HTTP").Select(a => a.Id).ToHashSet();
        return type == "AWS::ApiGatewayV2::Api"
            ? stack.Resources(type).Where(r => http.Contains(r.Id))
            : stack.Resources(type).Where(r => http.Contains(SynthesizedStack.Target(r.Resource["Properties"]!["ApiId"])));
    }

    public static string RoleOf(this SynthesizedStack stack, string functionId) =>
        SynthesizedStack.Target(stack.Properties(functionId)["Role"]);

    /// <summary>Every statement of every policy attached to the role.</summary>
    public static IReadOnlyList<JsonObject> StatementsOf(this SynthesizedStack stack, string roleId) =>
        [.. stack.Resources("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => SynthesizedStack.Target(r) == roleId))
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()))];

    public static IReadOnlyList<JsonObject> AllStatements(this SynthesizedStack stack) =>
        [
            .. stack.Resources("AWS::IAM::Policy").SelectMany(
            p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()))];

    public static IReadOnlyList<string> Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : a!.ToJsonString())],
        JsonValue value when value.TryGetValue<string>(out var s) => [s],
        _ => [node.ToJsonString()],
    };

    /// <summary>Resources of a statement as JSON text, each one (a plain "*" stays "*").</summary>
    public static IReadOnlyList<JsonNode?> ResourcesOf(JsonObject statement) => statement["Resource"] switch
    {
        JsonArray array => [.. array],
        var single => [single],
    };

    public static IReadOnlyList<string> IvsActionsOf(this SynthesizedStack stack, string handler) =>
        [.. stack.StatementsOf(stack.RoleOf(stack.FunctionIdsByHandler()[handler]))
            .SelectMany(s => Strings(s["Action"]))
            .Where(a => a.StartsWith("ivs:", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
