using IvsServerless.Lambda.Runtime;
using IvsServerless.Live.Streams;

namespace IvsServerless.Live.Notifier;

/// <summary>The <c>notifier</c> function: DynamoDB Streams batches in, a partial batch response out.</summary>
public sealed class NotifierHandler(LiveNotifier notifier) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var records = StreamEvent.Parse(payload.Span);
        var result = await notifier.ProcessAsync(records, ct);
        context.Logger.Log(result.FirstFailedSequenceNumber is null ? LambdaLogLevel.Information : LambdaLogLevel.Warning,
            $"notifier: {records.Count} records, {result.Changes} changes delivered, {result.Posted} posts, {result.Gone} gone"
            + (result.FirstFailedSequenceNumber is { } failed ? $", retrying from {failed}" : ""));
        return StreamEvent.BatchResponse(result.FirstFailedSequenceNumber);
    }
}
