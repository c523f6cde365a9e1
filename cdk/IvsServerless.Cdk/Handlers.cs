namespace IvsServerless.Cdk;

/// <summary>
/// Every <c>_HANDLER</c> value the stack deploys, in one place. Each must be in the Lambda entry's dispatch table
/// (IvsServerless.Lambda.FunctionHandlers.Names); a test checks it, so a renamed handler fails the build, not a deploy.
/// </summary>
public static class Handlers
{
    public const string Stages = "stages";
    public const string Tokens = "tokens";
    public const string Compositions = "compositions";
    public const string IvsEvents = "ivs-events";
    public const string Reconciler = "reconciler";

    /// <summary>Only with <c>tokenMode=self-signed</c>.</summary>
    public const string KeyRotation = "key-rotation";

    /// <summary>
    /// The functions every deployment has (key-rotation comes with self-signed tokens). A handler is listed once it
    /// is in the Lambda entry's dispatch table; the stack declares a concern's resources only for listed handlers.
    /// </summary>
    public static IReadOnlyList<string> Deployed { get; } = [Stages, Tokens, Compositions, IvsEvents, Reconciler];
}
