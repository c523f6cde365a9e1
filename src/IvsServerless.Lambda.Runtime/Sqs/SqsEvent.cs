using System.Text.Json;
using System.Text.Json.Serialization;

namespace IvsServerless.Lambda.Runtime.Sqs;

/// <summary>
/// The event an SQS event source mapping invokes a function with: up to the mapping's batch size of messages. Only
/// the members this backend reads are declared; the rest of the payload is ignored.
/// </summary>
public sealed record SqsEvent([property: JsonPropertyName("Records")] IReadOnlyList<SqsMessage>? Records)
{
    public const string EventSource = "aws:sqs";

    /// <summary>The payload as an SQS batch, or null when it is not one (e.g. an event invoked directly).</summary>
    public static SqsEvent? TryRead(ReadOnlySpan<byte> payload)
    {
        try
        {
            var sqs = JsonSerializer.Deserialize(payload, SqsJsonContext.Default.SqsEvent);
            return sqs?.Records is { Count: > 0 } records && records.All(r => r.EventSource == EventSource) ? sqs : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One message of an <see cref="SqsEvent"/>.</summary>
public sealed record SqsMessage(
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("eventSource")] string? EventSource = null,
    [property: JsonPropertyName("eventSourceARN")] string? EventSourceArn = null,
    [property: JsonPropertyName("receiptHandle")] string? ReceiptHandle = null,
    [property: JsonPropertyName("attributes")] IReadOnlyDictionary<string, string>? Attributes = null)
{
    /// <summary>How many times SQS has handed this message out, this time included (1 on first delivery).</summary>
    public int ReceiveCount =>
        Attributes?.GetValueOrDefault("ApproximateReceiveCount") is { } text && int.TryParse(text, out var count) ? count : 1;
}

/// <summary>
/// The answer of a function whose mapping has <c>ReportBatchItemFailures</c>: the messages to hand back to the
/// queue (retried after their visibility timeout); every other message of the batch is deleted as done.
/// </summary>
public sealed record SqsBatchResponse(
    [property: JsonPropertyName("batchItemFailures")] IReadOnlyList<SqsBatchItemFailure> BatchItemFailures)
{
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, SqsJsonContext.Default.SqsBatchResponse);

    public static SqsBatchResponse Read(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, SqsJsonContext.Default.SqsBatchResponse) ?? new SqsBatchResponse([]);
}

/// <summary>One message to retry, by its <see cref="SqsMessage.MessageId"/>.</summary>
public sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);

[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class SqsJsonContext : JsonSerializerContext;
