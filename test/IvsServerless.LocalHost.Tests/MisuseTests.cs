using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IvsServerless.Deployment.Routes;
using IvsServerless.LocalHost.Auth;
using IvsServerless.LocalHost.Tests.Support;

namespace IvsServerless.LocalHost.Tests;

/// <summary>Each class of misuse, end to end over HTTP: 401 from the front, then 400, 403 and 404 from the function.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class MisuseTests(LocalHostFixture local)
{
    [Fact]
    public async Task Health_needs_no_token()
    {
        var health = await local.GetAsync("/health", user: null);

        Assert.Equal(200, health.Status);
    }

    [Fact]
    public async Task Every_route_but_health_and_the_signed_url_routes_answers_401_without_a_token()
    {
        Assert.Contains("POST /stages", local.Host.ApiRoutes);
        var open = ApiRoutes.All.Where(r => !r.RequiresAuthorization).Select(r => r.Key).ToHashSet();
        foreach (var route in local.Host.ApiRoutes.Where(r => !open.Contains(r)))
        {
            var (method, template) = (route.Split(' ')[0], route.Split(' ')[1]);
            // Well-formed ids, so that only authorization can refuse the request.
            var path = Regex.Replace(template, "{[^}]+}", "AbCdEfGh1234");

            var refused = await local.CallAsync(new HttpMethod(method), path, user: null, json: "{}");

            Assert.True(refused.Status == 401, $"{route}: {refused}");
            Assert.Equal("""{"message":"Unauthorized"}""", refused.Text);
        }

        // The signed-URL routes reach the function without a token (which then checks the URL's signature).
        foreach (var route in open.Where(r => r != "GET /health"))
        {
            var reached = await local.CallAsync(HttpMethod.Get, route.Split(' ')[1], user: null);
            Assert.True(reached.Status != 401 && reached.Text.Contains("\"code\"", StringComparison.Ordinal), $"{route}: {reached}");
        }
    }

    [Fact]
    public async Task Tokens_of_another_issuer_or_tampered_with_are_401()
    {
        using var stranger = new DevTokenIssuer("http://127.0.0.1:1", "ivs-serverless-local");
        var foreign = stranger.Mint("alice").Token;
        var aliceParts = (await local.TokenAsync("alice")).Split('.');
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(aliceParts[1]))!.AsObject();
        claims["sub"] = "mallory";
        var tampered = $"{aliceParts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()))}.{aliceParts[2]}";

        foreach (var token in new[] { foreign, tampered, "Bearer", "garbage" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, local.Api("/stages"));
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await local.Http.SendAsync(request);
            Assert.Equal(401, (int)response.StatusCode);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_path_outside_the_API_is_404_from_the_front()
    {
        var missing = await local.GetAsync("/stages/AbCdEfGh1234/unknown", "alice");

        Assert.Equal(404, missing.Status);
        Assert.Equal("""{"message":"Not Found"}""", missing.Text);
    }

    [Theory]
    [InlineData("POST", "/stages", "{not json", "malformed-json")]
    [InlineData("POST", "/stages", """{"name":"x","visibility":"secret"}""", "validation-failed")]
    [InlineData("POST", "/stages", """{"name":"x","visibility":"public","owner":"bob"}""", "unknown-field")]
    [InlineData("GET", "/stages/not*an*id", null, "invalid-path-parameter")]
    public async Task Bad_input_is_400_with_a_problem_naming_it(string method, string path, string? body, string code)
    {
        var refused = await local.CallAsync(new HttpMethod(method), path, "alice", body);

        Assert.Equal(400, refused.Status);
        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.Equal(code, refused.Code);
    }

    [Fact]
    public async Task Bad_input_about_an_existing_stage_is_400_and_changes_nothing()
    {
        var stageId = await local.CreateStageAsync("alice");

        var badDuration = await local.PostAsync($"/stages/{stageId}/participant-tokens", "alice", """{"durationMinutes":0}""");
        var badPatch = await local.CallAsync(HttpMethod.Patch, $"/stages/{stageId}", "alice", """{"visibility":"nobody"}""");
        var after = await local.GetAsync($"/stages/{stageId}", "alice");

        Assert.Equal(400, badDuration.Status);
        Assert.Equal(400, badPatch.Status);
        Assert.Equal("public", after.Json.GetProperty("visibility").GetString());
        Assert.Equal(1, after.Json.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task What_only_the_owner_may_do_is_403_for_others_who_can_see_the_stage()
    {
        var stageId = await local.CreateStageAsync("alice", coHosts: ["carol"]);

        var refusals = new[]
        {
            await local.CallAsync(HttpMethod.Patch, $"/stages/{stageId}", "bob", """{"name":"mine"}"""),
            await local.DeleteAsync($"/stages/{stageId}", "bob"),
            await local.PostAsync($"/stages/{stageId}/compositions", "carol"),
            await local.PostAsync($"/stages/{stageId}/participants/p-1/disconnect", "carol"),
        };
        var greedyViewer = await local.PostAsync($"/stages/{stageId}/participant-tokens", "bob", """{"capabilities":["PUBLISH"]}""");

        Assert.All(refusals, r => Assert.Equal((403, "owner-only"), (r.Status, r.Code)));
        Assert.Equal((403, "capability-not-allowed"), (greedyViewer.Status, greedyViewer.Code));
        Assert.Equal(200, (await local.GetAsync($"/stages/{stageId}", "alice")).Status);
    }

    [Fact]
    public async Task Missing_stages_and_private_stages_of_others_are_the_same_404()
    {
        var privateStage = await local.CreateStageAsync("alice", "private");

        var missing = await local.GetAsync("/stages/AbCdEfGh1234", "bob");
        var hidden = await local.GetAsync($"/stages/{privateStage}", "bob");
        var hiddenToken = await local.PostAsync($"/stages/{privateStage}/participant-tokens", "bob");

        Assert.Equal((404, "stage-not-found"), (missing.Status, missing.Code));
        Assert.Equal((404, "stage-not-found"), (hidden.Status, hidden.Code));
        Assert.Equal((404, "stage-not-found"), (hiddenToken.Status, hiddenToken.Code));
        Assert.Equal(missing.Json.GetProperty("detail").GetString(), hidden.Json.GetProperty("detail").GetString());
    }
}
