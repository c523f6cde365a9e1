using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Lambda;

/// <summary>
/// The dispatch table: every function's <c>_HANDLER</c> value and what it runs. The CDK stack names
/// these handlers; a test checks that every name it uses is here.
/// </summary>
public static class FunctionHandlers
{
    /// <summary>The HTTP API (stages, tokens, participants, compositions).</summary>
    public const string Api = "api";

    public static IReadOnlyList<string> Names { get; } = [Api];

    public static LambdaHandlerRegistry Registry() => new LambdaHandlerRegistry()
        .Add(Api, () => FunctionServices.FromEnvironment().CreateApiHandler());
}
