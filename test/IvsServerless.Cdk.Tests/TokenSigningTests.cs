using System.Text.Json.Nodes;
using IvsServerless.Cdk.Tests.Support;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Routes;

namespace IvsServerless.Cdk.Tests;

/// <summary>tokenMode=self-signed (set in the configured stack): key, rotation on deploy and on schedule, read access for tokens.</summary>
[Collection(CdkCollection.Name)]
public sealed class TokenSigningTests(SynthesizedStacks stacks)
{
    private const string Parameter = "/IvsServerless/participant-token-signing-key";
    private readonly SynthesizedStack _selfSigned = stacks.Configured;

    private JsonObject Variables(string handler) =>
        _selfSigned.Properties(_selfSigned.FunctionIdsByHandler()[handler])["Environment"]!["Variables"]!.AsObject();

    [Fact]
    public void Api_mode_has_no_signing_key_rotation_or_key()
    {
        var api = stacks.ApiMode;
        Assert.DoesNotContain(BackendFunctions.KeyRotation.Handler, api.FunctionIdsByHandler().Keys);
        Assert.Empty(api.Resources("AWS::KMS::Key"));
        Assert.Empty(api.Resources("Custom::ParticipantTokenSigningKeys"));
        Assert.False(
            api.Properties(api.FunctionIdsByHandler()[BackendFunctions.Tokens.Handler])["Environment"]![
            "Variables"]!.AsObject().ContainsKey("TOKEN_MODE"));
    }

    [Fact]
    public void Self_signed_is_the_default_mode()
    {
        Assert.Contains(BackendFunctions.KeyRotation.Handler, stacks.Default.FunctionIdsByHandler().Keys);
        Assert.Equal("self-signed",
            stacks.Default.Properties(stacks.Default.FunctionIdsByHandler()[BackendFunctions.Tokens.Handler])["Environment"]![
            "Variables"]!["TOKEN_MODE"]!.GetValue<string>());
    }

    [Fact]
    public void The_tokens_function_signs_with_the_key_in_the_parameter()
    {
        Assert.Equal("self-signed", Variables(BackendFunctions.Tokens.Handler)["TOKEN_MODE"]!.GetValue<string>());
        Assert.Equal(Parameter, Variables(BackendFunctions.Tokens.Handler)["TOKEN_SIGNING_KEY_PARAMETER"]!.GetValue<string>());
        Assert.Equal(Parameter, Variables(BackendFunctions.KeyRotation.Handler)["TOKEN_SIGNING_KEY_PARAMETER"]!.GetValue<string>());
        var key = Assert.Single(_selfSigned.Resources("AWS::KMS::Key"));
        Assert.Equal(key.Id, SynthesizedStack.Target(Variables(BackendFunctions.KeyRotation.Handler)["TOKEN_SIGNING_KMS_KEY_ID"]));
        Assert.True(key.Resource["Properties"]!["EnableKeyRotation"]!.GetValue<bool>());
    }

    [Fact]
    public void The_template_never_holds_key_material_nor_the_parameter_itself()
    {
        Assert.Empty(_selfSigned.Resources("AWS::SSM::Parameter"));
        Assert.Empty(_selfSigned.Resources("AWS::IVS::PublicKey"));
        Assert.DoesNotContain("PRIVATE KEY", _selfSigned.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("PUBLIC KEY", _selfSigned.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_runs_on_every_deploy_through_a_custom_resource_and_hourly_on_a_schedule()
    {
        var rotation = _selfSigned.FunctionIdsByHandler()[BackendFunctions.KeyRotation.Handler];
        var custom = Assert.Single(_selfSigned.Resources("Custom::ParticipantTokenSigningKeys")).Resource["Properties"]!;
        Assert.Equal(Parameter, custom["ParameterName"]!.GetValue<string>());
        var framework = _selfSigned.Properties(SynthesizedStack.Target(custom["ServiceToken"]));
        Assert.Contains(rotation, framework["Environment"]!["Variables"]!.ToJsonString(), StringComparison.Ordinal);

        var schedule = Assert.Single(_selfSigned.Resources("AWS::Events::Rule"),
            r => r.Resource["Properties"]!["Targets"]!.AsArray().Any(t => SynthesizedStack.Target(t!["Arn"]) == rotation));
        Assert.Equal("rate(1 hour)", schedule.Resource["Properties"]!["ScheduleExpression"]!.GetValue<string>());
    }

    [Fact]
    public void Tokens_may_only_read_the_parameter_and_decrypt_through_ssm()
    {
        var statements = _selfSigned.StatementsOf(_selfSigned.RoleOf(_selfSigned.FunctionIdsByHandler()[BackendFunctions.Tokens.Handler]));

        var ssm = Assert.Single(
            statements, s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("ssm:", StringComparison.Ordinal)));
        Assert.Equal(["ssm:GetParameter"], TemplateQueries.Strings(ssm["Action"]));
        Assert.EndsWith(
            $":parameter{Parameter}\"]]}}", Assert.Single(TemplateQueries.ResourcesOf(ssm))!.ToJsonString(), StringComparison.Ordinal);
        var kms = Assert.Single(
            statements, s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));
        Assert.Equal(["kms:Decrypt"], TemplateQueries.Strings(kms["Action"]));
        Assert.Contains("ssm.", kms["Condition"]!["StringEquals"]!["kms:ViaService"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_may_write_read_and_delete_only_that_parameter_and_use_the_key_through_ssm()
    {
        var statements = _selfSigned.StatementsOf(
            _selfSigned.RoleOf(_selfSigned.FunctionIdsByHandler()[BackendFunctions.KeyRotation.Handler]));

        var ssm = Assert.Single(
            statements, s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("ssm:", StringComparison.Ordinal)));
        Assert.Equal(["ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"], TemplateQueries.Strings(ssm["Action"]));
        var kms = Assert.Single(
            statements, s => TemplateQueries.Strings(s["Action"]).Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));
        Assert.Equal(["kms:Decrypt", "kms:Encrypt"], TemplateQueries.Strings(kms["Action"]));
        Assert.Equal(
            Assert.Single(_selfSigned.Resources("AWS::KMS::Key")).Id, SynthesizedStack.Target(
            Assert.Single(TemplateQueries.ResourcesOf(kms))));
    }

    [Fact]
    public void The_custom_resource_framework_role_only_invokes_rotation_and_writes_its_logs()
    {
        var frameworkRoles = _selfSigned.Resources("AWS::Lambda::Function")
            .Where(f => !_selfSigned.FunctionIdsByHandler().Values.Contains(f.Id))
            .Select(f => _selfSigned.RoleOf(f.Id));
        var actions = _selfSigned.StatementsOf(Assert.Single(frameworkRoles)).SelectMany(
            s => TemplateQueries.Strings(s["Action"])).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["lambda:InvokeFunction", "logs:CreateLogStream", "logs:PutLogEvents"], actions);
    }
}
