namespace IvsServerless.Lambda.Runtime;

/// <summary>
/// One Lambda function's entry point. Payloads stay raw bytes so each handler owns its
/// source-generated JSON and the runtime never needs reflection.
/// </summary>
public interface ILambdaHandler
{
    /// <param name="payload">The invocation event exactly as the Runtime API sent it.</param>
    /// <param name="context">Request id, deadline, trace id and logger of this invocation.</param>
    /// <param name="ct">Cancelled shortly before the invocation deadline (or when the runtime stops).</param>
    /// <returns>The response body posted back to Lambda.</returns>
    Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct);
}
