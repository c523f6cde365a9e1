using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Lambda;

/// <summary>
/// The dispatch table: every function's <c>_HANDLER</c> value and what it runs. The CDK stack names
/// these handlers; a test checks that every name it uses is here.
/// </summary>
public static class FunctionHandlers
{
    /// <summary>The HTTP API (stages, tokens, participants, compositions, session history).</summary>
    public const string Api = "api";

    /// <summary>IVS EventBridge events (Stage Update, Participant Recording and Composition State Change) into the projection.</summary>
    public const string IvsEvents = "ivs-events";

    /// <summary>Participant-token signing keys: rotate (deploy, schedule) and tear down (custom resource Delete).</summary>
    public const string KeyRotation = "key-rotation";

    /// <summary>
    /// Scheduled every minute: repairs the event projection from the IVS API (live sessions, presence, publishing,
    /// ended sessions) and deletes idle stages of this deployment (one pass over ListStages does both).
    /// </summary>
    public const string Reconciler = "reconciler";

    /// <summary>Every handler name, read from the registry itself so the two can never disagree.</summary>
    public static IReadOnlyList<string> Names => Registry().Names;

    /// <param name="environment">Where settings come from; the process environment unless a caller (a test) says otherwise.</param>
    public static LambdaHandlerRegistry Registry(Func<string, string?>? environment = null)
    {
        var settings = environment ?? Environment.GetEnvironmentVariable;
        return new LambdaHandlerRegistry()
            .Add(Api, () => FunctionServices.From(settings).CreateApiHandler())
            .Add(IvsEvents, () => FunctionServices.From(settings).CreateIvsEventsHandler())
            .Add(KeyRotation, () => FunctionServices.From(settings).CreateKeyRotationHandler())
            .Add(Reconciler, () => FunctionServices.From(settings).CreateReconcilerHandler());
    }
}
