using System.Text;
using IvsServerless.Api.Tests.Support;
using IvsServerless.Deployment.Routes;
using IvsServerless.Testing.ApiSupport;
using Xunit.Abstractions;

namespace IvsServerless.Api.Tests;

/// <summary>
/// Generated bad input on every route (seeded, so a failure reproduces): bodies that are not JSON, not an object, of
/// the wrong shape or too large, content types other than JSON, forged and garbled cursors and limits, and path ids of
/// every kind. Each one is answered with a 4xx problem and changes nothing: no stage, composition or IVS stage is made
/// or touched.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261203;
    private const int CasesPerRoute = 90;

    private static readonly string[] NonJsonTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/json",
        "application/jsonx", "application/json; charset=latin1", "application/json-patch", "*/*", "json", "application/",
        "application/vnd.api+jsonx",
    ];

    [Fact]
    public async Task Every_route_answers_generated_bad_input_with_a_4xx_problem_and_writes_nothing()
    {
        await using var api = await ApiHarness.StartAsync();
        var stageId = await api.CreateStageAsync("alice", coHosts: ["bob"]);
        var (writes, ivsStages) = (api.Stages.Writes, await api.IvsStageCountAsync());
        var random = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        var cases = 0;

        foreach (var route in ApiRoutes.All)
        {
            for (var i = 0; i < CasesPerRoute; i++)
            {
                var request = Generate(random, route, stageId, i);
                var response = await api.SendAsync(request.As(i % 3 == 0 ? "bob" : "alice"));
                statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
                cases++;
                Assert.True(response.Status is >= 400 and < 500,
                    $"{route.Method} {route.Template} case {i} answered {response.Status}: {response.Body}");
                Assert.Equal("application/problem+json", response.Headers["content-type"]);
                Assert.False(string.IsNullOrEmpty(response.Code), response.Body);
            }
        }

        output.WriteLine($"{cases} cases; statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(cases >= 1000);
        Assert.Equal(writes, api.Stages.Writes);
        Assert.Empty(api.Compositions.All);
        Assert.Equal(ivsStages, await api.IvsStageCountAsync());
        Assert.False(api.Stages.All.Single().Deleted);
    }

    /// <summary>Bad by construction: whatever this returns must not be a valid request for <paramref name="route"/>.</summary>
    private static ApiRequest Generate(Random random, RouteDeclaration route, string stageId, int i)
    {
        var takesBody = route == ApiRoutes.CreateStage || route == ApiRoutes.UpdateStage || route == ApiRoutes.CreateParticipantToken
            || route == ApiRoutes.DisconnectParticipant;
        var lists = route == ApiRoutes.ListStages || route == ApiRoutes.ListSessions;
        var kind = i % 4;
        if (kind == 0 || (kind == 1 && !takesBody) || (kind == 2 && !lists && route.Template.Contains('{', StringComparison.Ordinal)))
        {
            // Anything with a body of a type other than JSON: 415 on every route, before anything is read.
            return ApiRequest.Of(route.Method, Path(route, stageId, random, fuzzIds: false))
                .Body(RandomBody(random), NonJsonTypes[random.Next(NonJsonTypes.Length)]);
        }

        if (kind == 1)
        {
            return ApiRequest.Of(route.Method, Path(route, stageId, random, fuzzIds: false)).Json(BadJson(random, route));
        }

        if (kind == 2 && lists)
        {
            var request = ApiRequest.Of(route.Method, Path(route, stageId, random, fuzzIds: false));
            return random.Next(3) == 0 ? request.Query("limit", BadLimit(random)) : request.Query("cursor", BadCursor(random));
        }

        if (route.Template.Contains('{', StringComparison.Ordinal))
        {
            return ApiRequest.Of(route.Method, Path(route, stageId, random, fuzzIds: true));
        }

        // A route without path ids or body (GET /stages, /health): unknown query scopes and a bad limit.
        return route == ApiRoutes.ListStages
            ? ApiRequest.Get("/stages").Query("scope", RandomText(random, 1, 30))
            : ApiRequest.Of(route.Method, route.Template).Body(RandomBody(random), NonJsonTypes[random.Next(NonJsonTypes.Length)]);
    }

    private static string Path(RouteDeclaration route, string stageId, Random random, bool fuzzIds)
    {
        var path = new StringBuilder();
        foreach (var segment in route.Template.Split('/'))
        {
            path.Append(segment.Length == 0 ? "" : "/");
            path.Append(segment switch
            {
                "{stageId}" => fuzzIds ? BadId(random) : stageId,
                ['{', ..] => BadId(random),
                _ => segment,
            });
        }

        return path.ToString();
    }

    private static string BadId(Random random) => random.Next(7) switch
    {
        0 => new string('A', random.Next(13, 300)),
        1 => "..%2F..%2Fetc",
        2 => Uri.EscapeDataString(RandomText(random, 1, 40)),
        3 => "%00",
        4 => "st-" + RandomText(random, 1, 5).Replace("/", "", StringComparison.Ordinal),
        5 => Uri.EscapeDataString("ünï©ødé"),
        _ => RandomAlphanumeric(random, 12),
    };

    private static string BadJson(Random random, RouteDeclaration route) => random.Next(9) switch
    {
        0 => "{\"name\": \"x\"",
        1 => "[]",
        2 => "null",
        3 => "{\"" + RandomAlphanumeric(random, 8) + "\": 1}",
        4 => new string('[', random.Next(70, 400)),
        5 => "{\"name\": " + random.Next()
            + ", \"visibility\": true, \"capabilities\": \"PUBLISH\", \"ban\": \"yes\", \"duration\": \"x\"}",
        6 => "{\"x\": \"" + new string('a', 20_000) + "\"}",
        7 => Encoding.UTF8.GetString([.. Enumerable.Range(0, 40).Select(_ => (byte)random.Next(1, 256))]),
        _ => route == ApiRoutes.CreateParticipantToken
            ? "{\"capabilities\": [\"ADMIN\"]}"
            : "{\"visibility\": \"" + RandomAlphanumeric(random, 6) + "\", \"coHostIds\": 7}",
    };

    private static string BadCursor(Random random) => random.Next(6) switch
    {
        0 => "",
        1 => new string('A', 2049 + random.Next(1000)),
        2 => RandomText(random, 1, 80),
        3 => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"PK\":{\"S\":\"\"},\"SK\":{\"S\":\"\"}}")),
        4 => Convert.ToBase64String([.. Enumerable.Range(0, 60).Select(_ => (byte)random.Next(256))]),
        _ => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"PK\":{\"S\":\"STAGE#" + RandomAlphanumeric(random, 12) + "\"}}")),
    };

    private static string BadLimit(Random random) => random.Next(5) switch
    {
        0 => "0",
        1 => "-1",
        2 => "101",
        3 => "1e3",
        _ => RandomText(random, 1, 10),
    };

    private static string RandomBody(Random random) => random.Next(3) switch
    {
        0 => "{\"name\":\"valid looking\",\"visibility\":\"public\"}",
        1 => "name=x&visibility=public",
        _ => RandomText(random, 1, 200),
    };

    private static string RandomText(Random random, int min, int max) =>
        new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => (char)random.Next(0x20, 0x2FF))]);

    private static string RandomAlphanumeric(Random random, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => Alphanumerics[random.Next(Alphanumerics.Length)])]);

    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
}
