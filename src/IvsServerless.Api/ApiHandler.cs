using System.Text.Json;
using IvsServerless.Api.Compositions;
using IvsServerless.Api.Errors;
using IvsServerless.Api.HttpApi;
using IvsServerless.Api.Ingest;
using IvsServerless.Api.Participants;
using IvsServerless.Api.Recordings;
using IvsServerless.Api.Replication;
using IvsServerless.Api.Sessions;
using IvsServerless.Api.Stages;
using IvsServerless.Api.Tokens;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Live;
using IvsServerless.Core.Participants;
using IvsServerless.Core.Quotas;
using IvsServerless.Core.Recordings;
using IvsServerless.Core.Sessions;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using IvsServerless.Core.Tokens.Minting;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Api;

/// <summary>
/// The HTTP API function: payload v2 event in, payload v2 result out. Built once per container (in the
/// init phase), so services and their HTTP connections are reused across invocations.
/// </summary>
public sealed class ApiHandler : ILambdaHandler
{
    private readonly Router _router;
    private readonly ApiOptions _options;

    /// <param name="tokenMinter">How participant tokens are minted; null = the IVS API (<see cref="IvsApiTokenMinter"/>).</param>
    /// <param name="sessions">The session history (event projection); without it the session routes answer 503 and stages list no
    /// participants.</param>
    /// <param name="kicks">Where kicks are recorded for the live channel (<c>kicked</c> to the user); none when null.</param>
    /// <param name="recordings">The recordings bucket (<see cref="ApiOptions.RecordingsBucketName"/>); without it recordings list no
    /// playback and cannot be deleted (503).</param>
    /// <param name="routeGroups">Serve only these <see cref="RouteGroups"/> (one function per concern in AWS); all routes when
    /// null.</param>
    public ApiHandler(IStageStore stages, ICompositionStore compositions, IUsageLedger usage, ApiIvsPorts ivs, ApiOptions options,
        TimeProvider? time = null, IParticipantTokenMinter? tokenMinter = null, ISessionHistory? sessions = null,
        IEnumerable<string>? routeGroups = null, IKickLog? kicks = null, IRecordingObjects? recordings = null)
    {
        ArgumentNullException.ThrowIfNull(ivs);
        ArgumentNullException.ThrowIfNull(options);
        options.TokenPolicy.Validate();
        if (options.Quotas.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException("Invalid quotas: " + string.Join(" ", problems));
        }

        _options = options;
        var access = new StageAccess(stages);
        var quotas = new UserQuotas(usage, stages, compositions, options.Quotas, time ?? TimeProvider.System);
        var routes = ApiEndpoints.Routes(
            new StageService(stages, compositions, ivs.Stages, access, quotas, options, time ?? TimeProvider.System,
                new ParticipantRevoker(ivs.Participants)),
            new TokenService(stages, new StageEndpointResolver(stages, ivs.Stages), new TokenPolicy(options.TokenPolicy),
                tokenMinter ?? new IvsApiTokenMinter(ivs.Tokens, time), quotas),
            new ParticipantService(access, stages, ivs.Participants, options, kicks, time ?? TimeProvider.System),
            new CompositionService(access, compositions, ivs.Compositions, quotas, options, time ?? TimeProvider.System),
            new SessionService(access, sessions, compositions, options.BucketOf),
            new IngestService(access, new TokenPolicy(options.TokenPolicy), ivs.Ingest, options),
            new ReplicationService(access, ivs.Replication),
            new RecordingService(access, sessions, compositions, recordings, options.BucketOf, options.RecordingsBucketName,
                options.RecordingPlaybackLifetime, time ?? TimeProvider.System));
        _router = new Router(routeGroups is null ? routes : RouteGroupFilter.Filter(routes, routeGroups));
    }

    public IReadOnlyList<Route> Routes => _router.Routes;

    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = Parse(payload);
        var response = await HandleAsync(request, context, ct);

        // One access line per request; bodies are never logged (they may hold participant tokens).
        context.Logger.Log(LambdaLogLevel.Information, "Request handled",
            new("apiRequestId", request?.RequestContext?.RequestId),
            new("method", request?.RequestContext?.Http?.Method),
            new("path", request?.RawPath),
            new("status", response.StatusCode));
        return JsonSerializer.SerializeToUtf8Bytes(response, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse);
    }

    public async Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(
        APIGatewayHttpApiV2ProxyRequest? request, ILambdaContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var requestId = request?.RequestContext?.RequestId ?? context.AwsRequestId;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var budget = context.RemainingTime - _options.DeadlineMargin;
        if (budget <= TimeSpan.Zero)
        {
            deadline.Cancel();
        }
        else if (budget < TimeSpan.FromDays(1))
        {
            deadline.CancelAfter(budget);
        }

        try
        {
            if (request is null)
            {
                throw new RequestValidationException("malformed-event", "The event is not an HTTP API payload v2 request.");
            }

            var (route, parameters) = _router.Resolve(request);

            var call = new ApiCall(request, parameters, context, deadline.Token);

            // The caller first, as in every endpoint: an anonymous request is 401 before anything about it is checked.
            if (route.Declaration.RequiresAuthorization)
            {
                _ = call.Caller;
            }

            JsonContentType.EnsureJsonBody(request);

            // No time left: start nothing rather than leave half-done work behind when Lambda stops us.
            deadline.Token.ThrowIfCancellationRequested();
            return await route.Endpoint(call);
        }
        catch (MethodNotAllowedException e)
        {
            var response = ProblemMapper.ToResponse(e, requestId, context.Logger);
            response.Headers!["allow"] = string.Join(", ", e.Allowed);
            return response;
        }
        catch (Exception e)
        {
            return ProblemMapper.ToResponse(e, requestId, context.Logger);
        }
    }

    private static APIGatewayHttpApiV2ProxyRequest? Parse(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
