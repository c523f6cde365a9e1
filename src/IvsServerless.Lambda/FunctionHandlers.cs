using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Lambda;

/// <summary>
/// The dispatch table: one handler per function of the contract (<see cref="BackendFunctions"/>), chosen by the
/// function's <c>_HANDLER</c>, built by the composition root from the function's environment.
/// </summary>
public static class FunctionHandlers
{
    /// <param name="environment">Where settings come from; the process environment unless a caller (a test) says otherwise.</param>
    public static LambdaHandlerRegistry Registry(Func<string, string?>? environment = null)
    {
        var settings = environment ?? Environment.GetEnvironmentVariable;
        var registry = new LambdaHandlerRegistry();
        foreach (var function in BackendFunctions.All)
        {
            registry.Add(function.Handler, () => Create(function, FunctionServices.From(settings)));
        }

        return registry;
    }

    /// <summary>The handler of a function of the contract, as the composition root builds it for its kind.</summary>
    public static ILambdaHandler Create(FunctionDeclaration function, FunctionServices services)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(services);
        return function.Kind switch
        {
            FunctionKind.HttpApi => services.CreateApiHandler(function.RouteGroups),
            FunctionKind.IvsEvents => services.CreateIvsEventsHandler(),
            FunctionKind.Reconciler => services.CreateReconcilerHandler(),
            FunctionKind.KeyRotation => services.CreateKeyRotationHandler(),
            FunctionKind.LiveAuthorizer => services.CreateLiveAuthorizerHandler(),
            FunctionKind.LiveConnections => services.CreateLiveConnectionsHandler(),
            FunctionKind.LiveNotifier => services.CreateNotifierHandler(),
            _ => throw new InvalidOperationException($"No handler is built for functions of kind {function.Kind}."),
        };
    }
}
