using IvsServerless.Api.Tests.Support;

namespace IvsServerless.Api.Tests;

/// <summary>Bad input is refused with field errors before anything is written, here or in IVS.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private ApiHarness _api = null!;
    private string _stageId = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync();
        _stageId = await _api.CreateStageAsync("alice");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public static TheoryData<string, string, string, string, string> Bodies => new()
    {
        // route, path (STAGE = a real stage id), body, expected code, expected field
        { "POST", "/stages", """{"name":"x","visibility":"public""", "malformed-json", "body" },
        { "POST", "/stages", "[1,2]", "validation-failed", "body" },
        { "POST", "/stages", "", "validation-failed", "body" },
        { "POST", "/stages", """{"name":42,"visibility":"public"}""", "validation-failed", "name" },
        { "POST", "/stages", """{"name":"x","visibility":"public","admin":true}""", "unknown-field", "admin" },
        { "POST", "/stages", """{"name":"x","visibility":"public","visibility":"private"}""", "malformed-json", "body" },
        { "POST", "/stages", """{"name":"has spaces","visibility":"public"}""", "validation-failed", "name" },
        { "POST", "/stages", """{"name":"x","visibility":"secret"}""", "validation-failed", "visibility" },
        { "POST", "/stages", """{"visibility":"public"}""", "validation-failed", "name" },
        { "POST", "/stages", """{"name":"x","visibility":"public","coHostIds":"bob"}""", "validation-failed", "coHostIds" },
        {
            "POST", "/stages", """{"name":"x","visibility":"public","coHostIds":["a","b","c","d","e","f","g","h","i","j","k","l"]}""",
            "validation-failed", "coHostIds" },
        { "PATCH", "/stages/STAGE", """{"visibility":1}""", "validation-failed", "visibility" },
        { "PATCH", "/stages/STAGE", """{"ownerId":"mallory"}""", "unknown-field", "ownerId" },
        { "PATCH", "/stages/STAGE", """{"coHostIds":["alice"]}""", "validation-failed", "coHostIds" },
        { "POST", "/stages/STAGE/participant-tokens", """{"capabilities":["ADMIN"]}""", "validation-failed", "capabilities" },
        { "POST", "/stages/STAGE/participant-tokens", """{"capabilities":[]}""", "validation-failed", "capabilities" },
        { "POST", "/stages/STAGE/participant-tokens", """{"durationMinutes":"long"}""", "validation-failed", "durationMinutes" },
        { "POST", "/stages/STAGE/participant-tokens", """{"durationMinutes":721}""", "validation-failed", "durationMinutes" },
        { "POST", "/stages/STAGE/participant-tokens", """{"durationMinutes":0}""", "validation-failed", "durationMinutes" },
        { "POST", "/stages/STAGE/participant-tokens", """{"attributes":{"color":7}}""", "validation-failed", "attributes.color" },
        {
            "POST", "/stages/STAGE/participant-tokens", "{\"attributes\":{\"color\":\"" + new string('x', 1100) + "\"}}",
            "validation-failed", "attributes" },
        { "POST", "/stages/STAGE/participant-tokens", """{"userId":"someone-else"}""", "unknown-field", "userId" },
        { "POST", "/stages/STAGE/participant-tokens", """{"attributes":{"role":"host"}}""", "validation-failed", "attributes.role" },
        {
            "POST", "/stages/STAGE/participant-tokens", """{"attributes":{"color":"red","displayName":"Alice"}}""", "validation-failed",
            "attributes.displayName" },
        {
            "POST", "/stages/STAGE/participants/abc/disconnect", "{\"reason\":\"" + new string('r', 129) + "\"}", "validation-failed",
            "reason" },
        { "GET", "/stages/abc", "", "invalid-path-parameter", "stageId" },
        { "GET", "/stages/AAAAAAAAAAA%21", "", "invalid-path-parameter", "stageId" },
        { "DELETE", "/stages/AAAAAAAAAAAAA", "", "invalid-path-parameter", "stageId" },
        { "POST", "/stages/STAGE/participants/bad%20id/disconnect", "", "invalid-path-parameter", "participantId" },
        { "POST", "/stages/STAGE/participants/" + new string('p', 65) + "/disconnect", "", "invalid-path-parameter", "participantId" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Is_refused_with_field_errors_and_writes_nothing(string method, string path, string body, string code, string field)
    {
        var writes = _api.Stages.Writes;
        var ivsStages = await _api.IvsStageCountAsync();

        var response = await _api.SendAsync(
            ApiRequest.Of(method, path.Replace("STAGE", _stageId, StringComparison.Ordinal)).As("alice").Json(body));

        Assert.Equal(400, response.Status);
        Assert.Equal(code, response.Code);
        Assert.Contains(field, response.ErrorFields);
        Assert.Equal(writes, _api.Stages.Writes);
        Assert.Equal(ivsStages, await _api.IvsStageCountAsync());
        Assert.Equal(1, _api.Stages.All.Single().Version);
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_writes_nothing()
    {
        var writes = _api.Stages.Writes;
        var ivsStages = await _api.IvsStageCountAsync();
        var huge = "{\"name\":\"x\",\"visibility\":\"public\",\"invitedUserIds\":[" + string.Join(
            ',', Enumerable.Repeat("\"user-123456789\"", 1200)) + "]}";

        var response = await _api.SendAsync(ApiRequest.Post("/stages").As("alice").Json(huge));

        Assert.Equal(413, response.Status);
        Assert.Equal("payload-too-large", response.Code);
        Assert.Equal(writes, _api.Stages.Writes);
        Assert.Equal(ivsStages, await _api.IvsStageCountAsync());
    }

    [Theory]
    [InlineData("limit", "0")]
    [InlineData("limit", "101")]
    [InlineData("limit", "ten")]
    [InlineData("scope", "everyone")]
    public async Task Bad_list_parameters_are_400(string name, string value)
    {
        var response = await _api.SendAsync(ApiRequest.Get("/stages").As("alice").Query(name, value));
        Assert.Equal(400, response.Status);
        Assert.Contains(name, response.ErrorFields);
    }
}
