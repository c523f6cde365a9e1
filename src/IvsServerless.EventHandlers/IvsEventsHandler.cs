using System.Text.Json;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.EventHandlers;

/// <summary>
/// The <c>ivs-events</c> function: one EventBridge event per invocation (Lambda target of the IVS rules). Throws only
/// for transient failures, which Lambda's asynchronous retries repeat and finally dead-letter; logs id, name and outcome, never bodies.
/// </summary>
public sealed class IvsEventsHandler(IvsEventService service) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = await service.HandleAsync(payload, ct);
        context.Logger.Log(
            outcome.Disposition == IvsEventDisposition.Applied ? LambdaLogLevel.Information : LambdaLogLevel.Warning, "IVS event handled",
            new("eventId", outcome.EventId),
            new("detailType", outcome.DetailType),
            new("eventName", outcome.EventName),
            new("outcome", outcome.Disposition.ToString()),
            new("reason", outcome.Reason));
        return JsonSerializer.SerializeToUtf8Bytes(outcome, EventHandlersJsonContext.Default.IvsEventOutcome);
    }
}
