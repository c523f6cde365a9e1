namespace IvsServerless.Core.Projection;

/// <summary>
/// Where events the pipeline cannot apply go (malformed, unknown stage or composition): kept for inspection for a
/// while, never retried. Storing the same event twice keeps the first copy.
/// </summary>
public interface IRejectedEventStore
{
    Task StoreAsync(RejectedEvent rejected, CancellationToken cancellationToken);
}

/// <param name="Key">Stable per delivered bytes (a hash), so redelivery is a no-op and two bad events sharing an id both stay.</param>
/// <param name="EventId">The envelope <c>id</c> when it could be read.</param>
/// <param name="DetailType">The envelope <c>detail-type</c> when it could be read.</param>
/// <param name="RawText">The event as received, cut to <see cref="MaxRawChars"/> characters.</param>
/// <param name="RawBytes">The full size of the event as received.</param>
public sealed record RejectedEvent(
    string Key,
    string Reason,
    string? EventId,
    string? DetailType,
    string RawText,
    int RawBytes,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Enough to see what arrived; far below DynamoDB's 400 KB item limit.</summary>
    public const int MaxRawChars = 8 * 1024;

    /// <summary>How long rejected events are kept (DynamoDB TTL).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(14);
}
