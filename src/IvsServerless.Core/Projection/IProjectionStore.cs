using IvsServerless.Core.Events;

namespace IvsServerless.Core.Projection;

/// <summary>
/// Where the projection lives (DynamoDB in production, in-memory in unit tests). <see cref="ApplyAsync"/> mirrors
/// <see cref="Projector.Apply"/>: idempotent and order-tolerant, so callers may redeliver freely. It throws only for
/// transient failures (the caller lets the event be retried).
/// </summary>
public interface IProjectionStore
{
    Task ApplyAsync(ParsedIvsEvent ivsEvent, CancellationToken cancellationToken);
}
