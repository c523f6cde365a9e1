using IvsServerless.Api.Compositions;
using IvsServerless.Api.Contracts;
using IvsServerless.Api.HttpApi;
using IvsServerless.Api.Participants;
using IvsServerless.Api.Sessions;
using IvsServerless.Api.Stages;
using IvsServerless.Api.Tokens;

namespace IvsServerless.Api;

/// <summary>
/// The route table. Each endpoint only parses, calls one service and maps the result; the caller is read
/// first so an anonymous request gets 401 before anything about the request is checked. openapi.yaml
/// must list exactly these routes (a test compares them).
/// </summary>
public static class ApiEndpoints
{
    public static IReadOnlyList<Route> Routes(StageService stages, TokenService tokens, ParticipantService participants, CompositionService compositions,
        SessionService sessions) =>
    [
        new("POST", "/stages", async call =>
        {
            var caller = call.Caller;
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.CreateStageBody, optional: false);
            var stage = await stages.CreateAsync(caller, body, call.CancellationToken).ConfigureAwait(false);
            return Results.Json(201, Views.Of(stage, caller.UserId), ApiJsonContext.Default.StageView);
        }),
        new("GET", "/stages", async call =>
        {
            var caller = call.Caller;
            var page = await stages.ListAsync(caller, call.Query("scope"), call.Query("cursor"), call.Query("limit"), call.CancellationToken).ConfigureAwait(false);
            var view = new StagePageView { Items = [.. page.Items.Select(s => Views.Of(s, caller.UserId))], NextCursor = page.NextCursor };
            return Results.Json(200, view, ApiJsonContext.Default.StagePageView);
        }),
        new("GET", "/stages/{stageId}", async call =>
        {
            var caller = call.Caller;
            var (stage, compositions) = await stages.GetAsync(caller, PathIds.StageId(call), call.CancellationToken).ConfigureAwait(false);
            var present = await sessions.PresentParticipantsAsync(stage, call.CancellationToken).ConfigureAwait(false);
            return Results.Json(200, Views.Of(stage, caller.UserId, compositions, present), ApiJsonContext.Default.StageView);
        }),
        new("GET", "/stages/{stageId}/sessions", async call =>
        {
            var caller = call.Caller;
            var (stage, page) = await sessions.ListAsync(caller, PathIds.StageId(call), call.Query("cursor"), call.Query("limit"), call.CancellationToken).ConfigureAwait(false);
            var view = new SessionPageView { Items = [.. page.Items.Select(s => SessionViews.Of(s, stage))], NextCursor = page.NextCursor };
            return Results.Json(200, view, ApiJsonContext.Default.SessionPageView);
        }),
        new("GET", "/stages/{stageId}/sessions/{sessionId}", async call =>
        {
            var caller = call.Caller;
            var (stageId, sessionId) = (PathIds.StageId(call), PathIds.SessionId(call));
            var (stage, session, compositions) = await sessions.GetAsync(caller, stageId, sessionId, call.CancellationToken).ConfigureAwait(false);
            return Results.Json(200, SessionViews.Of(session, stage, compositions), ApiJsonContext.Default.SessionDetailView);
        }),
        new("PATCH", "/stages/{stageId}", async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.UpdateStageBody, optional: false);
            var stage = await stages.UpdateAsync(caller, stageId, body, call.CancellationToken).ConfigureAwait(false);
            return Results.Json(200, Views.Of(stage, caller.UserId), ApiJsonContext.Default.StageView);
        }),
        new("DELETE", "/stages/{stageId}", async call =>
        {
            var caller = call.Caller;
            await stages.DeleteAsync(caller, PathIds.StageId(call), call.CancellationToken).ConfigureAwait(false);
            return Results.NoContent();
        }),
        new("POST", "/stages/{stageId}/participant-tokens", async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.CreateTokenBody, optional: true);
            var token = await tokens.IssueAsync(caller, stageId, body, call.CancellationToken).ConfigureAwait(false);
            return Results.Json(201, token, ApiJsonContext.Default.TokenView);
        }),
        new("POST", "/stages/{stageId}/participants/{participantId}/disconnect", async call =>
        {
            var caller = call.Caller;
            var (stageId, participantId) = (PathIds.StageId(call), PathIds.ParticipantId(call));
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.DisconnectBody, optional: true);
            await participants.DisconnectAsync(caller, stageId, participantId, body, call.CancellationToken).ConfigureAwait(false);
            return Results.NoContent();
        }),
        new("POST", "/stages/{stageId}/compositions", async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var (composition, started) = await compositions.StartAsync(caller, stageId, call.Header("idempotency-key"), call.CancellationToken).ConfigureAwait(false);
            return Results.Json(started ? 201 : 200, Views.Of(composition), ApiJsonContext.Default.CompositionView);
        }),
        new("GET", "/stages/{stageId}/compositions", async call =>
        {
            var caller = call.Caller;
            var list = await compositions.ListAsync(caller, PathIds.StageId(call), call.CancellationToken).ConfigureAwait(false);
            return Results.Json(200, new CompositionListView { Items = [.. list.Select(Views.Of)] }, ApiJsonContext.Default.CompositionListView);
        }),
        new("DELETE", "/stages/{stageId}/compositions/{compositionId}", async call =>
        {
            var caller = call.Caller;
            var (stageId, compositionId) = (PathIds.StageId(call), PathIds.CompositionId(call));
            await compositions.StopAsync(caller, stageId, compositionId, call.CancellationToken).ConfigureAwait(false);
            return Results.NoContent();
        }),
    ];
}
