using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Access;
using IvsServerless.Deployment.Events;

namespace IvsServerless.Deployment.Functions;

/// <summary>What a function runs: the Lambda entry builds the matching handler for it.</summary>
public enum FunctionKind
{
    /// <summary>HTTP API routes of its <see cref="FunctionDeclaration.RouteGroups"/> (payload 2.0).</summary>
    HttpApi,

    /// <summary>IVS EventBridge events into the DynamoDB projection.</summary>
    IvsEvents,

    /// <summary>The scheduled repair of the projection and idle-stage sweep.</summary>
    Reconciler,

    /// <summary>Signing-key rotation (schedule) and teardown (custom resource).</summary>
    KeyRotation,

    /// <summary>The live-updates WebSocket API's <c>$connect</c> authorizer (the user JWT in the query string).</summary>
    LiveAuthorizer,

    /// <summary>The live-updates WebSocket routes (<see cref="FunctionDeclaration.WebSocketRoutes"/>).</summary>
    LiveConnections,

    /// <summary>The table's stream into messages on live connections.</summary>
    LiveNotifier,
}

/// <summary>Where a function exists.</summary>
public enum FunctionPresence
{
    /// <summary>Every deployment.</summary>
    Always,

    /// <summary>Only deployments that sign participant tokens themselves (<c>tokenMode=self-signed</c>).</summary>
    WithSelfSignedTokens,

    /// <summary>Not deployed by the stack: the local host, <c>bootstrap invoke</c>, a single-function deployment.</summary>
    NotDeployed,
}

/// <summary>
/// One function, declared once: its <c>_HANDLER</c> name, size, what triggers it (routes, event rules, schedule)
/// and every AWS action its code calls. Its environment is written and read by the records in <c>Settings/</c>.
/// </summary>
public sealed record FunctionDeclaration(string Handler, FunctionKind Kind, string Description)
{
    public int MemoryMb { get; init; } = 256;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public FunctionPresence Presence { get; init; } = FunctionPresence.Always;

    /// <summary>For <see cref="FunctionKind.HttpApi"/>: the route groups it serves.</summary>
    public IReadOnlyList<string> RouteGroups { get; init; } = [];

    public IReadOnlyList<EventRule> Rules { get; init; } = [];

    /// <summary>How often an EventBridge schedule runs it in AWS; null: not scheduled.</summary>
    public TimeSpan? Schedule { get; init; }

    /// <summary>For <see cref="FunctionKind.LiveConnections"/>: the WebSocket API route keys it serves.</summary>
    public IReadOnlyList<string> WebSocketRoutes { get; init; } = [];

    /// <summary>For <see cref="FunctionKind.LiveNotifier"/>: how the table's stream invokes it; null: no stream.</summary>
    public TableStreamTrigger? TableStream { get; init; }

    /// <summary>
    /// How the queue its <see cref="Rules"/> deliver to invokes it; null: the rules invoke it directly (asynchronously).
    /// </summary>
    public QueueTrigger? Queue { get; init; }

    /// <summary>What its role may do (with API-minted participant tokens, where that matters).</summary>
    public AwsAccess Access { get; init; } = AwsAccess.None;

    /// <summary>What its role may do when tokens are self-signed, where that differs from <see cref="Access"/>.</summary>
    public AwsAccess? SelfSignedAccess { get; init; }

    public AwsAccess AccessFor(TokenMintingMode mode) =>
        mode == TokenMintingMode.SelfSigned && SelfSignedAccess is { } selfSigned ? selfSigned : Access;

    public bool IsDeployedWith(TokenMintingMode mode) => Presence switch
    {
        FunctionPresence.Always => true,
        FunctionPresence.WithSelfSignedTokens => mode == TokenMintingMode.SelfSigned,
        _ => false,
    };
}

/// <summary>
/// A DynamoDB stream event source mapping: only records whose <c>PK</c> starts with one of
/// <paramref name="PartitionKeyPrefixes"/> invoke the function (a filter); a failing batch is split in two
/// (bisect) and retried at most <paramref name="MaxRetries"/> times, then its description goes to a dead-letter queue;
/// the function reports partial batch failures.
/// </summary>
public sealed record TableStreamTrigger(IReadOnlyList<string> PartitionKeyPrefixes, int BatchSize, int MaxRetries, TimeSpan MaxRecordAge);

/// <summary>
/// An SQS queue between a function's EventBridge rules and the function: an event source mapping hands it batches of
/// up to <paramref name="BatchSize"/> messages, waiting at most <paramref name="BatchingWindow"/> to fill one, with at
/// most <paramref name="MaximumConcurrency"/> invocations at once (so a burst cannot overrun the table); the function
/// answers <c>batchItemFailures</c> (<c>ReportBatchItemFailures</c>) and only those messages come back, after the
/// queue's visibility timeout; a message received <paramref name="MaxReceiveCount"/> times goes to the dead-letter queue
/// (the redrive policy).
/// </summary>
public sealed record QueueTrigger(int BatchSize, TimeSpan BatchingWindow, int MaximumConcurrency, int MaxReceiveCount)
{
    /// <summary>AWS: a queue that triggers a function should keep a message invisible at least six times the function's timeout.</summary>
    public const int VisibilityTimeoutPerFunctionTimeout = 6;

    /// <summary>AWS: a batch of more than this many SQS messages needs a batching window of at least one second.</summary>
    public const int MaxBatchSizeWithoutWindow = 10;

    /// <summary>How long a received message stays invisible: six times <paramref name="functionTimeout"/> (AWS's guidance).</summary>
    public static TimeSpan VisibilityTimeoutFor(TimeSpan functionTimeout) => functionTimeout * VisibilityTimeoutPerFunctionTimeout;

    /// <summary>
    /// This trigger as <paramref name="delivery"/> asks: <see cref="EventDelivery.Batched"/> as declared;
    /// <see cref="EventDelivery.Immediate"/> without a batching window, so with at most
    /// <see cref="MaxBatchSizeWithoutWindow"/> messages a batch.
    /// </summary>
    public QueueTrigger For(EventDelivery delivery) => delivery switch
    {
        EventDelivery.Immediate => this with { BatchSize = Math.Min(BatchSize, MaxBatchSizeWithoutWindow), BatchingWindow = TimeSpan.Zero },
        _ => this,
    };
}

/// <summary>
/// How IVS events reach <c>ivs-events</c>. A batching window is a wait: with a window of one second (needed for batches
/// over 10) every event waits up to that second at low traffic, before it is projected and pushed to live clients.
/// </summary>
public enum EventDelivery
{
    /// <summary>Batches of up to 100 after at most one second: the fewest invocations and requests per event (the default).</summary>
    Batched,

    /// <summary>No window, batches of up to 10: an event is projected as soon as a poller receives it (lowest latency), at up to
    /// ten times the invocations under load.</summary>
    Immediate,
}

public static class EventDeliveries
{
    public const string Batched = "batched";
    public const string Immediate = "immediate";

    public static bool TryParse(string? text, out EventDelivery delivery)
    {
        (var known, delivery) = text switch
        {
            Batched => (true, EventDelivery.Batched),
            Immediate => (true, EventDelivery.Immediate),
            _ => (false, EventDelivery.Batched),
        };
        return known;
    }
}
