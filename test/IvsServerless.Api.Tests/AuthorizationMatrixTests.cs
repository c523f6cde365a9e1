using IvsServerless.Api.Tests.Support;

using IvsServerless.Core.Quotas;

namespace IvsServerless.Api.Tests;

/// <summary>Every route × every kind of caller (owner, co-host, invitee, stranger, anonymous) × public and private stages, with exact
/// status codes. An invitee is answered as a stranger on a public stage on both (an invitation only makes a private stage
/// visible).</summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private const string Owner = "owner-1";
    private const string CoHost = "cohost-1";
    private const string Other = "other-1";
    private const string Invitee = "guest-1";

    private ApiHarness _api = null!;

    // One owner creates a stage (and starts compositions) per case: limits high enough for the whole matrix, which is about
    // roles; QuotaTests covers the limits.
    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(
        new QuotaOptions { StagesPerOwner = 1000, ConcurrentCompositionsPerOwner = 100, TokenMintsPerMinute = 10_000 });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private sealed record Case(
        string Route, Func<string, ApiRequest> Request, int Owner, int CoHost, int OtherOnPublic, int OtherOnPrivate, int Anonymous = 401);

    // The owner's disconnect and stop of unknown ids get past authorization to the lookup: 404 there
    // proves the owner got through (the co-host and others never get that far). The owner's disconnect reaches IVS, which knows no such
    // participant: 404 participant-not-found
    // proves the owner got through authorization (the co-host and others never get that far).
    private static readonly Case[] Cases =
    [
        new("POST /stages", _ => ApiRequest.Post("/stages").Json("""{"name":"s","visibility":"public"}"""), 201, 201, 201, 201),
        new("GET /stages", _ => ApiRequest.Get("/stages"), 200, 200, 200, 200),
        new("GET /stages/{stageId}", id => ApiRequest.Get($"/stages/{id}"), 200, 200, 200, 404),
        // An unknown session: whoever may see the stage gets past the stage check to the session lookup (404 session-not-found);
        // SessionRoutesTests checks the codes and a real session's recordings for invitees and strangers.
        new(
            "GET /stages/{stageId}/sessions/{sessionId}/recordings", id =>
            ApiRequest.Get($"/stages/{id}/sessions/st-NOSUCHSESSION/recordings"), 404, 404, 404, 404),
        // An unknown recording: the owner gets past the owner check to the lookup (404 recording-not-found).
        new(
            "DELETE /stages/{stageId}/recordings/{recordingId}", id =>
            ApiRequest.Delete($"/stages/{id}/recordings/st-NOSUCHSESSION~pNOBODY00001"), 404, 403, 403, 404),
        // No bearer token needed (players send none): the URL's signature is the credential, so a bad one is 403 for everyone.
        new(
            "GET /recordings/playlist", _ => ApiRequest.Get("/recordings/playlist").Query("key", "a/media/hls/multivariant.m3u8")
                .Query("X-Test-Expires", "1").Query("X-Test-Signature", "forged"), 403, 403, 403, 403, Anonymous: 403),
        new("PATCH /stages/{stageId}", id => ApiRequest.Patch($"/stages/{id}").Json("""{"name":"renamed"}"""), 200, 403, 403, 404),
        new("POST /stages/{stageId}/participant-tokens", id => ApiRequest.Post($"/stages/{id}/participant-tokens"), 201, 201, 201, 404),
        new(
            "POST /stages/{stageId}/participants/{participantId}/disconnect", id =>
            ApiRequest.Post($"/stages/{id}/participants/pUnknown0001/disconnect"), 404, 403, 403, 404),
        new(
            "POST /stages/{stageId}/participant-tokens/exchange", id =>
            ApiRequest.Post($"/stages/{id}/participant-tokens/exchange").Json("""{"token":"a.b.c"}"""), 409, 409, 409, 409),
        new("GET /stages/{stageId}/bans", id => ApiRequest.Get($"/stages/{id}/bans"), 200, 403, 403, 404),
        new("DELETE /stages/{stageId}/bans/{userId}", id => ApiRequest.Delete($"/stages/{id}/bans/someone"), 204, 403, 403, 404),
        new(
            "POST /stages/{stageId}/ingest-configurations", id =>
            ApiRequest.Post($"/stages/{id}/ingest-configurations").Json("""{"name":"obs","ingestProtocol":"RTMPS"}"""), 201, 201, 403, 404),
        new("GET /stages/{stageId}/ingest-configurations", id => ApiRequest.Get($"/stages/{id}/ingest-configurations"), 200, 200, 403, 404),

        // An unknown configuration: hosts get past authorization to the lookup (404 ingest-configuration-not-found).
        new(
            "DELETE /stages/{stageId}/ingest-configurations/{ingestConfigurationId}", id =>
            ApiRequest.Delete($"/stages/{id}/ingest-configurations/AAAAAAAAAAAA"), 404, 404, 403, 404),

        // An unknown destination: hosts of the source get past its check to the destination's (404 stage-not-found);
        // ReplicationTests covers two real stages.
        new(
            "POST /stages/{stageId}/replications", id => ApiRequest.Post($"/stages/{id}/replications")
                .Json("""{"participantId":"pUnknown0001","destinationStageId":"AAAAAAAAAAAA"}"""), 404, 404, 403, 404),
        new(
            "GET /stages/{stageId}/replications", id =>
            ApiRequest.Get($"/stages/{id}/replications").Query("participantId", "pUnknown0001"), 200, 200, 403, 404),
        new(
            "DELETE /stages/{stageId}/replications/{participantId}", id =>
            ApiRequest.Delete($"/stages/{id}/replications/pUnknown0001").Query("destinationStageId", "AAAAAAAAAAAA"),
            404, 404, 403, 404),
        new("POST /stages/{stageId}/compositions", id => ApiRequest.Post($"/stages/{id}/compositions"), 201, 403, 403, 404),
        new("GET /stages/{stageId}/compositions", id => ApiRequest.Get($"/stages/{id}/compositions"), 200, 200, 200, 404),
        new(
            "DELETE /stages/{stageId}/compositions/{compositionId}", id =>
            ApiRequest.Delete($"/stages/{id}/compositions/AAAAAAAAAAAA"), 404, 403, 403, 404),
        new("DELETE /stages/{stageId}", id => ApiRequest.Delete($"/stages/{id}"), 204, 403, 403, 404),
    ];

    [Fact]
    public async Task Every_route_answers_every_caller_exactly_as_specified()
    {
        var mismatches = new List<string>();
        var wrongGrants = 0;
        foreach (var visibility in new[] { "public", "private" })
        {
            foreach (var @case in Cases)
            {
                var expectations = new (string? Caller, int Status)[]
                {
                    (Owner, @case.Owner),
                    (CoHost, @case.CoHost),
                    (Invitee, @case.OtherOnPublic),
                    (Other, visibility == "public" ? @case.OtherOnPublic : @case.OtherOnPrivate),
                    (null, @case.Anonymous),
                };
                foreach (var (caller, expected) in expectations)
                {
                    // A fresh stage per call, so an earlier PATCH or DELETE cannot colour the next answer.
                    var stageId = await _api.CreateStageAsync(Owner, visibility, coHosts: [CoHost], invited: [Invitee]);
                    var response = await _api.SendAsync(@case.Request(stageId).As(caller));
                    if (response.Status != expected)
                    {
                        mismatches.Add($"{@case.Route} on {visibility} as {caller ?? "anonymous"}: expected {expected}, got {response}");
                        wrongGrants += response.Status is >= 200 and < 300 ? 1 : 0;
                    }
                }
            }
        }

        Assert.Equal(0, wrongGrants);
        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task A_private_stage_is_indistinguishable_from_a_missing_one_for_outsiders()
    {
        var stageId = await _api.CreateStageAsync(Owner, "private");
        var hidden = await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As(Other));
        var missing = await _api.SendAsync(ApiRequest.Get("/stages/AAAAAAAAAAAA").As(Other));
        Assert.Equal((missing.Status, missing.Code, missing.Json.GetProperty("detail").GetString()),
            (hidden.Status, hidden.Code, hidden.Json.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Invited_users_see_a_private_stage_and_may_only_subscribe()
    {
        var stageId = await _api.CreateStageAsync(Owner, "private", invited: ["guest-1"]);
        Assert.Equal(200, (await _api.SendAsync(ApiRequest.Get($"/stages/{stageId}").As("guest-1"))).Status);
        var token = await _api.SendAsync(ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("guest-1"));
        Assert.Equal(201, token.Status);
        Assert.Equal(["SUBSCRIBE"], token.Json.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        var publish = await _api.SendAsync(
            ApiRequest.Post($"/stages/{stageId}/participant-tokens").As("guest-1").Json("""{"capabilities":["PUBLISH","SUBSCRIBE"]}"""));
        Assert.Equal(403, publish.Status);
    }
}
