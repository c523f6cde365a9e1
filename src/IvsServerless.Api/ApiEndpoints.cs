using IvsServerless.Api.Compositions;
using IvsServerless.Api.Contracts;
using IvsServerless.Api.HttpApi;
using IvsServerless.Api.Ingest;
using IvsServerless.Api.Participants;
using IvsServerless.Api.Recordings;
using IvsServerless.Api.Replication;
using IvsServerless.Api.Sessions;
using IvsServerless.Api.Stages;
using IvsServerless.Api.Tokens;
using IvsServerless.Deployment.Routes;

namespace IvsServerless.Api;

/// <summary>
/// The endpoints of the contract's routes (<see cref="ApiRoutes"/>). Each endpoint only parses, calls one service and
/// maps the result; the caller is read first so an anonymous request gets 401 before anything about the request is checked.
/// </summary>
public static class ApiEndpoints
{
    public static IReadOnlyList<Route> Routes(
        StageService stages, TokenService tokens, ParticipantService participants, CompositionService compositions,
        SessionService sessions, IngestService ingest, ReplicationService replications,
        RecordingService recordings) => EveryDeclaredRoute(
    [
        new(ApiRoutes.CreateStage, async call =>
        {
            var caller = call.Caller;
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.CreateStageBody, optional: false);
            var stage = await stages.CreateAsync(caller, body, call.CancellationToken);
            return Results.Json(201, Views.Of(stage, caller.UserId), ApiJsonContext.Default.StageView);
        }),
        new(ApiRoutes.ListStages, async call =>
        {
            var caller = call.Caller;
            var page = await stages.ListAsync(
                caller, call.Query("scope"), call.Query("cursor"), call.Query("limit"), call.CancellationToken);
            var view = new StagePageView { Items = [.. page.Items.Select(s => Views.Of(s, caller.UserId))], NextCursor = page.NextCursor };
            return Results.Json(200, view, ApiJsonContext.Default.StagePageView);
        }),
        new(ApiRoutes.GetStage, async call =>
        {
            var caller = call.Caller;
            var (stage, compositions) = await stages.GetAsync(caller, PathIds.StageId(call), call.CancellationToken);
            var present = await sessions.PresentParticipantsAsync(stage, call.CancellationToken);
            return Results.Json(200, Views.Of(stage, caller.UserId, compositions, present), ApiJsonContext.Default.StageView);
        }),
        new(ApiRoutes.ListSessions, async call =>
        {
            var caller = call.Caller;
            var (stage, page) = await sessions.ListAsync(
                caller, PathIds.StageId(call), call.Query("cursor"), call.Query("limit"), call.CancellationToken);
            var view = new SessionPageView { Items = [.. page.Items.Select(s => SessionViews.Of(s, stage))], NextCursor = page.NextCursor };
            return Results.Json(200, view, ApiJsonContext.Default.SessionPageView);
        }),
        new(ApiRoutes.GetSession, async call =>
        {
            var caller = call.Caller;
            var (stageId, sessionId) = (PathIds.StageId(call), PathIds.SessionId(call));
            var (stage, session, compositions) = await sessions.GetAsync(caller, stageId, sessionId, call.CancellationToken);
            return Results.Json(200, SessionViews.Of(session, stage, compositions), ApiJsonContext.Default.SessionDetailView);
        }),
        new(ApiRoutes.ListRecordings, async call =>
        {
            var caller = call.Caller;
            var (stageId, sessionId) = (PathIds.StageId(call), PathIds.SessionId(call));
            var list = await sessions.RecordingsAsync(caller, stageId, sessionId, call.CancellationToken);
            var (playback, deleted) = await recordings.PlaybackAsync(list, call.BaseUrl, call.CancellationToken);
            return Results.Json(200, SessionViews.Of(list, playback, deleted), ApiJsonContext.Default.RecordingListView);
        }),
        new(ApiRoutes.DeleteRecording, async call =>
        {
            var caller = call.Caller;
            var (stageId, recordingId) = (PathIds.StageId(call), PathIds.RecordingId(call));
            await recordings.DeleteAsync(caller.UserId, stageId, recordingId, call.CancellationToken);
            return Results.NoContent();
        }),

        // Served without the JWT authorizer to players: the presigned S3 query it carries is the credential.
        new(ApiRoutes.RecordingPlaylist, async call =>
        {
            var playlist = await recordings.PlaylistAsync(call.QueryParameters, call.BaseUrl, call.CancellationToken);
            return Results.Text(200, playlist, "application/vnd.apple.mpegurl");
        }),
        new(ApiRoutes.UpdateStage, async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.UpdateStageBody, optional: false);
            var stage = await stages.UpdateAsync(caller, stageId, body, call.CancellationToken);
            return Results.Json(200, Views.Of(stage, caller.UserId), ApiJsonContext.Default.StageView);
        }),
        new(ApiRoutes.DeleteStage, async call =>
        {
            var caller = call.Caller;
            await stages.DeleteAsync(caller, PathIds.StageId(call), call.CancellationToken);
            return Results.NoContent();
        }),
        new(ApiRoutes.CreateParticipantToken, async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.CreateTokenBody, optional: true);
            var token = await tokens.IssueAsync(caller, stageId, body, call.CancellationToken);
            return Results.Json(201, token, ApiJsonContext.Default.TokenView);
        }),
        new(ApiRoutes.ExchangeParticipantToken, async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.ExchangeTokenBody, optional: false);
            var token = await tokens.ExchangeAsync(caller, stageId, body, call.CancellationToken);
            return Results.Json(200, token, ApiJsonContext.Default.TokenView);
        }),
        new(ApiRoutes.DisconnectParticipant, async call =>
        {
            var caller = call.Caller;
            var (stageId, participantId) = (PathIds.StageId(call), PathIds.ParticipantId(call));
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.DisconnectBody, optional: true);
            await participants.DisconnectAsync(caller, stageId, participantId, body, call.CancellationToken);
            return Results.NoContent();
        }),
        new(ApiRoutes.ListBans, async call =>
        {
            var caller = call.Caller;
            var bans = await participants.ListBansAsync(caller, PathIds.StageId(call), call.CancellationToken);
            var view = new BanListView { Items = [.. bans.Select(u => new BanView { UserId = u })] };
            return Results.Json(200, view, ApiJsonContext.Default.BanListView);
        }),
        new(ApiRoutes.LiftBan, async call =>
        {
            var caller = call.Caller;
            var (stageId, userId) = (PathIds.StageId(call), PathIds.UserId(call));
            await participants.LiftBanAsync(caller, stageId, userId, call.CancellationToken);
            return Results.NoContent();
        }),
        new(ApiRoutes.CreateIngestConfiguration, async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.CreateIngestConfigurationBody, optional: false);
            var created = await ingest.CreateAsync(caller, stageId, body, call.CancellationToken);
            return Results.Json(201, Views.Of(created), ApiJsonContext.Default.IngestConfigurationView);
        }),
        new(ApiRoutes.ListIngestConfigurations, async call =>
        {
            var caller = call.Caller;
            var list = await ingest.ListAsync(caller, PathIds.StageId(call), call.CancellationToken);
            var view = new IngestConfigurationListView { Items = [.. list.Select(Views.Of)] };
            return Results.Json(200, view, ApiJsonContext.Default.IngestConfigurationListView);
        }),
        new(ApiRoutes.DeleteIngestConfiguration, async call =>
        {
            var caller = call.Caller;
            var (stageId, ingestId) = (PathIds.StageId(call), PathIds.IngestConfigurationId(call));
            await ingest.DeleteAsync(caller, stageId, ingestId, call.CancellationToken);
            return Results.NoContent();
        }),
        new(ApiRoutes.StartReplication, async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var body = StrictJson.Read(call.Request, ApiJsonContext.Default.StartReplicationBody, optional: false);
            var replica = await replications.StartAsync(caller, stageId, body, call.CancellationToken);
            return Results.Json(201, Views.Of(replica), ApiJsonContext.Default.ReplicaView);
        }),
        new(ApiRoutes.ListReplications, async call =>
        {
            var caller = call.Caller;
            var list = await replications.ListAsync(caller, PathIds.StageId(call), call.Query("participantId"), call.CancellationToken);
            return Results.Json(200, new ReplicaListView { Items = [.. list.Select(Views.Of)] }, ApiJsonContext.Default.ReplicaListView);
        }),
        new(ApiRoutes.StopReplication, async call =>
        {
            var caller = call.Caller;
            var (stageId, participantId) = (PathIds.StageId(call), PathIds.ParticipantId(call));
            await replications.StopAsync(caller, stageId, participantId, call.Query("destinationStageId"), call.CancellationToken);
            return Results.NoContent();
        }),
        new(ApiRoutes.StartComposition, async call =>
        {
            var caller = call.Caller;
            var stageId = PathIds.StageId(call);
            var (composition, started) = await compositions.StartAsync(
                caller, stageId, call.Header("idempotency-key"), call.CancellationToken);
            return Results.Json(started ? 201 : 200, Views.Of(composition), ApiJsonContext.Default.CompositionView);
        }),
        new(ApiRoutes.ListCompositions, async call =>
        {
            var caller = call.Caller;
            var list = await compositions.ListAsync(caller, PathIds.StageId(call), call.CancellationToken);
            return Results.Json(
                200, new CompositionListView { Items = [.. list.Select(Views.Of)] }, ApiJsonContext.Default.CompositionListView);
        }),
        new(ApiRoutes.StopComposition, async call =>
        {
            var caller = call.Caller;
            var (stageId, compositionId) = (PathIds.StageId(call), PathIds.CompositionId(call));
            await compositions.StopAsync(caller, stageId, compositionId, call.CancellationToken);
            return Results.NoContent();
        }),

        // The one route without the JWT authorizer: it reads no caller and touches no store or service.
        new(ApiRoutes.Health, _ => Task.FromResult(Results.Json(200, new HealthView { Status = "ok" }, ApiJsonContext.Default.HealthView))),
    ]);

    /// <summary>The table must bind each route of the contract once, in its order: a route left unbound fails at init, not in
    /// production.</summary>
    private static IReadOnlyList<Route> EveryDeclaredRoute(IReadOnlyList<Route> routes)
    {
        var bound = routes.Select(r => r.Declaration).ToList();
        if (!bound.SequenceEqual(ApiRoutes.All))
        {
            var unbound = ApiRoutes.All.Except(bound).Select(r => r.Key);
            throw new InvalidOperationException("The route table does not bind the contract's routes once each, in order; unbound: "
                + string.Join(", ", unbound) + ".");
        }

        return routes;
    }
}
