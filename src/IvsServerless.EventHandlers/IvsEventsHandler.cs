using System.Text;
using System.Text.Json;
using IvsServerless.Lambda.Runtime;
using IvsServerless.Lambda.Runtime.Sqs;

namespace IvsServerless.EventHandlers;

/// <summary>
/// The <c>ivs-events</c> function. Deployed behind an SQS queue (the IVS rules target the queue; an event source
/// mapping with <c>ReportBatchItemFailures</c> invokes it with batches): each message body is one EventBridge event,
/// the batch goes through <see cref="IvsEventService.HandleBatchAsync"/>, and the answer lists exactly the messages
/// whose events failed, which SQS hands out again (and dead-letters after the queue's receive limit). A single
/// EventBridge event invoked directly is still handled on its own. Logs id, name and outcome (in batches: of the events
/// not plainly applied, and one line per batch), never bodies.
/// </summary>
public sealed class IvsEventsHandler(IvsEventService service) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (SqsEvent.TryRead(payload.Span) is { Records: { } records })
        {
            var outcomes = await service.HandleBatchAsync(
                [.. records.Select(r => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(r.Body))], ct);
            var failures = new List<SqsBatchItemFailure>();
            for (var i = 0; i < records.Count; i++)
            {
                // At batch rates only what is not plainly applied is logged one by one; the batch line counts the rest.
                if (outcomes[i].Disposition != IvsEventDisposition.Applied)
                {
                    Log(context, outcomes[i], records[i]);
                }

                if (outcomes[i].Disposition == IvsEventDisposition.Failed)
                {
                    failures.Add(new SqsBatchItemFailure(records[i].MessageId));
                }
            }

            context.Logger.Log(failures.Count == 0 ? LambdaLogLevel.Information : LambdaLogLevel.Warning, "IVS event batch handled",
                new("messages", records.Count),
                new("applied", outcomes.Count(o => o.Disposition == IvsEventDisposition.Applied)), new("failed", failures.Count));
            return new SqsBatchResponse(failures).ToUtf8Bytes();
        }

        var outcome = await service.HandleAsync(payload, ct);
        Log(context, outcome, null);
        return JsonSerializer.SerializeToUtf8Bytes(outcome, EventHandlersJsonContext.Default.IvsEventOutcome);
    }

    private static void Log(ILambdaContext context, IvsEventOutcome outcome, SqsMessage? message) =>
        context.Logger.Log(
            outcome.Disposition == IvsEventDisposition.Applied ? LambdaLogLevel.Information : LambdaLogLevel.Warning, "IVS event handled",
            new("eventId", outcome.EventId),
            new("detailType", outcome.DetailType),
            new("eventName", outcome.EventName),
            new("outcome", outcome.Disposition.ToString()),
            new("reason", outcome.Reason),
            new("messageId", message?.MessageId),
            new("receiveCount", message?.ReceiveCount));
}
