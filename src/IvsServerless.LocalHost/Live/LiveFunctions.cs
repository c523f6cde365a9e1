using IvsServerless.Deployment.Functions;

namespace IvsServerless.LocalHost.Live;

/// <summary>The local stand-in for the live-updates WebSocket API (API Gateway) and its functions.</summary>
public static class LiveFunctions
{
    /// <summary>Whether the function is one of the live-updates functions (run by this front, not the bus or a schedule).</summary>
    public static bool Serves(FunctionDeclaration function) =>
        function?.Kind is FunctionKind.LiveAuthorizer or FunctionKind.LiveConnections or FunctionKind.LiveNotifier;
}
