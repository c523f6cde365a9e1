using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Operations;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;
using IvsServerless.IvsEmulator.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IvsServerless.IvsEmulator.Simulation;

/// <summary>
/// The simulation surface under <c>/_sim/</c>: <b>not part of the AWS API</b>. It stands in for what the
/// IVS client SDKs do over WebRTC (join with a participant token, publish, subscribe, leave) and for media-side
/// failures, so that a backend's reactions (EventBridge events, ListParticipants, …) can be exercised locally.
/// JSON in and out; errors use the same wire shape as the API (status, <c>x-amzn-ErrorType</c>, exceptionMessage).
/// See README.md for each endpoint.
/// </summary>
public static partial class SimulationEndpoints
{
    private const string ClientAttributePattern = @"[a-zA-Z0-9-_.,:;\s]*";
    private static readonly string[] ClientAttributes = ["ispName", "osName", "osVersion", "browserName", "browserVersion", "sdkVersion"];

    public static void Map(WebApplication app, IvsRealTimeEmulator emulator)
    {
        app.MapPost("/_sim/join", async (HttpContext http) =>
        {
            var input = await ReadInput(http, emulator);
            await Respond(http, emulator.Run(null, context => Join(context, input)));
        });

        app.MapPost("/_sim/stages/{stageId}/participants/{participantId}/{action}",
            async (HttpContext http, string stageId, string participantId, string action) =>
            {
                var input = await ReadInput(http, emulator);
                await Respond(http, emulator.Run(null, context => Act(context, stageId, participantId, action, input)));
            });

        app.MapPost("/_sim/encoder/{action}", async (HttpContext http, string action) =>
        {
            var input = await ReadInput(http, emulator);
            await Respond(http, emulator.Run(null, context => Encoder(context, action, input)));
        });

        app.MapGet("/_sim/events", async (HttpContext http) =>
        {
            if (emulator.Events is not ChannelEventSink sink)
            {
                throw IvsException.NotFound("Event history is only kept by the in-process channel event sink.");
            }

            var events = new JsonArray(sink.Recent().Select(e => (JsonNode?)e.ToEnvelope()).ToArray());
            await EmulatorServer.WriteJson(http, JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["events"] = events }));
        });

        app.MapGet("/_sim/token-signing-key", (HttpContext http) => Respond(http, new
        {
            keyId = ParticipantTokenSigner.KeyId,
            algorithm = "ES384",
            publicKeyPem = emulator.TokenSigner.PublicKeyPem,
        }));
    }

    /// <summary>
    /// A client joins with a participant token: the token is verified (signature under the emulator key or an
    /// imported public key, expiry, claims), the stage must exist, and the participant (id = token <c>jti</c>)
    /// joins the active session, which starts if nobody was connected.
    /// </summary>
    private static object Join(OperationContext context, RequestReader input)
    {
        var token = input.String("token", required: true, min: 1);
        var client = ClientAttributes.ToDictionary(name => name,
            name => input.String(name, max: 128, pattern: ClientAttributeRegex(), patternText: ClientAttributePattern));
        input.ThrowIfInvalid();

        var claims = ParticipantTokenVerifier.Verify(token!, context.State, context.TokenSigner, context.Now);
        var stage = context.State.Stages.GetValueOrDefault(claims.StageArn) ?? throw IvsException.StageNotFound(claims.StageArn);
        if (context.State.RevokedParticipants.Contains((stage.Arn, claims.ParticipantId)))
        {
            throw IvsException.AccessDenied($"Participant {claims.ParticipantId} was disconnected from stage {stage.Arn} and is revoked.");
        }

        var (session, participant) = ParticipantLifecycle.Join(context, stage, claims.ParticipantId, () => new ParticipantRecord
        {
            ParticipantId = claims.ParticipantId,
            UserId = claims.UserId,
            Attributes = claims.Attributes,
            FirstJoinTime = context.Now,
            AllowPublish = claims.AllowPublish,
            AllowSubscribe = claims.AllowSubscribe,
            TokenUrls = (claims.EventsUrl, claims.WhipUrl),
            IspName = client["ispName"],
            OsName = client["osName"],
            OsVersion = client["osVersion"],
            BrowserName = client["browserName"],
            BrowserVersion = client["browserVersion"],
            SdkVersion = client["sdkVersion"],
        });

        return new
        {
            participantId = participant.ParticipantId,
            sessionId = session.SessionId,
            stageArn = stage.Arn,
            userId = participant.UserId ?? "",
            capabilities = Capabilities(participant),
        };
    }

    /// <summary>
    /// An RTMP(S) encoder (OBS, a hardware encoder) with an ingest configuration's stream key: <c>start</c> joins the configuration's
    /// participant (its participant id, user id and attributes, PUBLISH only) to its stage and publishes, so its events flow like any
    /// other participant's, and the configuration becomes ACTIVE; <c>stop</c> ends the stream (the participant leaves, INACTIVE).
    /// An unknown key is refused as IVS refuses the connection (403); a configuration detached from its stage is a 409.
    /// </summary>
    private static object Encoder(OperationContext context, string action, RequestReader input)
    {
        var streamKey = input.String("streamKey", required: true, min: 1, max: 1024);
        input.ThrowIfInvalid();
        var configuration = context.State.IngestConfigurations.Values.FirstOrDefault(c => c.StreamKey == streamKey)
            ?? throw IvsException.AccessDenied("No ingest configuration has this stream key.");
        var stage = configuration.StageArn.Length > 0 ? context.State.Stages.GetValueOrDefault(configuration.StageArn) : null;
        if (stage is null)
        {
            throw IvsException.Conflict($"Ingest configuration {configuration.Arn} is not attached to a stage.");
        }

        switch (action)
        {
            case "start":
                var participantId = configuration.ParticipantId;
                var (session, participant) = ParticipantLifecycle.Join(context, stage, participantId, () => new ParticipantRecord
                {
                    ParticipantId = configuration.ParticipantId,
                    UserId = configuration.UserId,
                    Attributes = configuration.Attributes,
                    FirstJoinTime = context.Now,
                    AllowPublish = true,
                    AllowSubscribe = false,
                    Protocol = configuration.IngestProtocol,
                    IngestConfigurationArn = configuration.Arn,
                });
                configuration.State = IngestConfigurationStates.Active;
                ParticipantLifecycle.Publish(context, stage, session, participant);
                return EncoderAnswer(stage, session, participant, configuration);
            case "stop":
                configuration.State = IngestConfigurationStates.Inactive;
                if (stage.ActiveSession is { } active
                    && active.Participants.GetValueOrDefault(configuration.ParticipantId) is
                    { State: ParticipantStates.Connected } connected)
                {
                    ParticipantLifecycle.Leave(context, stage, active, connected);
                    return EncoderAnswer(stage, active, connected, configuration);
                }

                throw IvsException.Conflict($"No encoder is publishing with ingest configuration {configuration.Arn}.");
            default:
                throw IvsException.UnknownOperation($"Unknown encoder action '{action}'. Known: start, stop.");
        }
    }

    private static object EncoderAnswer(
        StageRecord stage, StageSessionRecord session, ParticipantRecord participant, IngestConfigurationRecord configuration) => new
        {
            stageArn = stage.Arn,
            sessionId = session.SessionId,
            ingestConfigurationArn = configuration.Arn,
            state = configuration.State,
            participant = SessionOperations.ToParticipant(participant),
        };

    /// <summary>One client action of a connected participant of the stage's active session.</summary>
    private static object Act(OperationContext context, string stageId, string participantId, string action, RequestReader input)
    {
        var stage = context.State.Stages.Values.FirstOrDefault(s => s.Id == stageId)
            ?? throw IvsException.NotFound($"Stage {stageId} not found");
        var session = stage.ActiveSession ?? throw IvsException.NotFound($"Stage {stage.Arn} has no active session");
        if (session.Participants.GetValueOrDefault(participantId) is not { State: ParticipantStates.Connected } participant)
        {
            throw IvsException.NotFound($"Participant {participantId} is not connected to stage {stage.Arn}");
        }

        if (participant.IsReplica)
        {
            throw IvsException.Conflict(
                $"Participant {participantId} is a replica: use StopParticipantReplication or DisconnectParticipant.");
        }

        switch (action)
        {
            case "publish":
                input.ThrowIfInvalid();
                ParticipantLifecycle.Publish(context, stage, session, participant);
                break;
            case "unpublish":
                input.ThrowIfInvalid();
                if (!participant.IsPublishing)
                {
                    throw IvsException.Conflict($"Participant {participantId} is not publishing.");
                }

                ParticipantLifecycle.Unpublish(context, stage, session, participant);
                break;
            case "subscribe":
                ParticipantLifecycle.Subscribe(context, session, participant, ReadPublisherId(input));
                break;
            case "unsubscribe":
                ParticipantLifecycle.Unsubscribe(context, session, participant, ReadPublisherId(input));
                break;
            case "exchange":
                Exchange(context, stage, session, participant, input);
                break;
            case "leave":
                input.ThrowIfInvalid();
                ParticipantLifecycle.Leave(context, stage, session, participant);
                break;
            case "publish-error":
                var errorCode = input.Enum("errorCode", ParticipantLifecycle.EventErrorCodes, required: true);
                input.ThrowIfInvalid();
                ParticipantLifecycle.PublishError(context, stage, session, participant, errorCode!);
                break;
            case "recording-start-failure":
            case "recording-end-failure":
                input.ThrowIfInvalid();
                ParticipantLifecycle.FailRecording(context, stage, session, participant, atStart: action == "recording-start-failure");
                break;
            default:
                throw IvsException.UnknownOperation($"Unknown simulation action '{action}'. Known: publish, unpublish, subscribe, "
                    + "unsubscribe, exchange, leave, publish-error, recording-start-failure, recording-end-failure.");
        }

        return new
        {
            stageArn = stage.Arn,
            sessionId = session.SessionId,
            activeSessionId = stage.ActiveSession?.SessionId,
            participant = SessionOperations.ToParticipant(participant),
        };
    }

    /// <summary>
    /// The device side of a token exchange (the broadcast SDKs' exchangeToken): a connected participant presents a new
    /// self-signed token. IVS's rules: a valid signature under an imported key, and the same <c>jti</c>, <c>resource</c>,
    /// <c>topic</c>, <c>whip_url</c> and <c>events_url</c>; the new capabilities and attributes apply at once — a publisher
    /// whose new token lacks PUBLISH stops publishing (PUBLISH_STOPPED, Participant Unpublished), a subscriber whose new token
    /// lacks SUBSCRIBE stops subscribing — and the exchange is recorded (TOKEN_EXCHANGED, Token Exchanged).
    /// </summary>
    private static void Exchange(
        OperationContext context, StageRecord stage, StageSessionRecord session, ParticipantRecord participant, RequestReader input)
    {
        var token = input.String("token", required: true, min: 1);
        input.ThrowIfInvalid();
        if (ParticipantTokenVerifier.KeyIdOf(token!) == ParticipantTokenSigner.KeyId)
        {
            throw IvsException.Validation("Only self-signed participant tokens can be exchanged.");
        }

        var claims = ParticipantTokenVerifier.Verify(token!, context.State, context.TokenSigner, context.Now);
        if (claims.ParticipantId != participant.ParticipantId || claims.StageArn != stage.Arn
            || (participant.TokenUrls is { } urls && urls != (claims.EventsUrl, claims.WhipUrl)))
        {
            throw IvsException.Validation(
                "The new token must keep the participant's jti, resource, topic, whip_url and events_url.");
        }

        participant.UserId = claims.UserId;
        participant.Attributes = claims.Attributes;
        participant.AllowPublish = claims.AllowPublish;
        participant.AllowSubscribe = claims.AllowSubscribe;
        ParticipantLifecycle.AddEvent(context, participant, "TOKEN_EXCHANGED");
        context.Emit(IvsEvent.StageUpdate, stage.Arn,
            StageEvents.StageUpdate(StageEvents.TokenExchanged, session, participant, context.Now));
        if (participant.IsPublishing && !participant.AllowPublish)
        {
            ParticipantLifecycle.Unpublish(context, stage, session, participant);
        }

        if (!participant.AllowSubscribe)
        {
            foreach (var publisherId in participant.Subscriptions.ToList())
            {
                ParticipantLifecycle.Unsubscribe(context, session, participant, publisherId);
            }
        }
    }

    private static string ReadPublisherId(RequestReader input)
    {
        var publisherId = input.String(
            "publisherId", required: true, max: 64, pattern: Patterns.Name(), patternText: Patterns.ResourceName);
        input.ThrowIfInvalid();
        return publisherId!;
    }

    private static List<string> Capabilities(ParticipantRecord participant)
    {
        var capabilities = new List<string>();
        if (participant.AllowPublish)
        {
            capabilities.Add("PUBLISH");
        }

        if (participant.AllowSubscribe)
        {
            capabilities.Add("SUBSCRIBE");
        }

        return capabilities;
    }

    private static async Task<RequestReader> ReadInput(HttpContext http, IvsRealTimeEmulator emulator) =>
        RequestReader.Parse(await EmulatorServer.ReadBody(http, emulator.Options.MaxRequestBodyBytes));

    private static Task Respond(HttpContext http, object response) =>
        EmulatorServer.WriteJson(http, JsonSerializer.SerializeToUtf8Bytes(response, WireJson.Options));

    [GeneratedRegex(@"^[a-zA-Z0-9_.,:;\s-]*$")]
    private static partial Regex ClientAttributeRegex();
}
