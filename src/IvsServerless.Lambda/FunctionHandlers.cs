using IvsServerless.Api.HttpApi;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Lambda;

/// <summary>
/// The dispatch table: every function's <c>_HANDLER</c> value and what it runs. The CDK stack names
/// these handlers; a test checks that every name it uses is here.
/// </summary>
public static class FunctionHandlers
{
    /// <summary>The whole HTTP API in one function (the local host; any single-function deployment).</summary>
    public const string Api = "api";

    /// <summary>The HTTP API's stage routes (and <c>GET /health</c>): one function per concern in AWS.</summary>
    public const string Stages = "stages";

    /// <summary>The HTTP API's participant-access routes: participant tokens and kicks.</summary>
    public const string Tokens = "tokens";

    /// <summary>The HTTP API's composition routes.</summary>
    public const string Compositions = "compositions";

    /// <summary>IVS EventBridge events (Stage Update, Participant Recording and Composition State Change) into the projection.</summary>
    public const string IvsEvents = "ivs-events";

    /// <summary>Participant-token signing keys: rotate (deploy, schedule) and tear down (custom resource Delete).</summary>
    public const string KeyRotation = "key-rotation";

    /// <summary>
    /// Scheduled every minute: repairs the event projection from the IVS API (live sessions, presence, publishing,
    /// ended sessions) and deletes idle stages of this deployment (one pass over ListStages does both).
    /// </summary>
    public const string Reconciler = "reconciler";

    /// <summary>Which route groups each per-concern API function serves; the stack routes by the same map.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ApiRouteGroups { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Api] = RouteGroups.All,
        [Stages] = [RouteGroups.Stages, RouteGroups.Health],
        [Tokens] = [RouteGroups.Tokens],
        [Compositions] = [RouteGroups.Compositions],
    };

    /// <summary>Every handler name, read from the registry itself so the two can never disagree.</summary>
    public static IReadOnlyList<string> Names => Registry().Names;

    /// <param name="environment">Where settings come from; the process environment unless a caller (a test) says otherwise.</param>
    public static LambdaHandlerRegistry Registry(Func<string, string?>? environment = null)
    {
        var settings = environment ?? Environment.GetEnvironmentVariable;
        return new LambdaHandlerRegistry()
            .Add(Api, ApiFunction(Api, settings))
            .Add(Stages, ApiFunction(Stages, settings))
            .Add(Tokens, ApiFunction(Tokens, settings))
            .Add(Compositions, ApiFunction(Compositions, settings))
            .Add(IvsEvents, () => FunctionServices.From(settings).CreateIvsEventsHandler())
            .Add(KeyRotation, () => FunctionServices.From(settings).CreateKeyRotationHandler())
            .Add(Reconciler, () => FunctionServices.From(settings).CreateReconcilerHandler());
    }

    private static Func<ILambdaHandler> ApiFunction(string name, Func<string, string?> settings) =>
        () => FunctionServices.From(settings).CreateApiHandler(ApiRouteGroups[name]);
}
