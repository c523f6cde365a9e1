using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using IvsServerless.LocalHost;

namespace IvsServerless.Benchmarks.Support;

/// <summary>
/// Counts every AWS SDK request attempt made in this process (retries included), by the local function it ran in
/// (<see cref="LocalFunction.Current"/>; <c>(none)</c> outside one), service and operation: an AWS SDK pipeline handler
/// registered for every client created afterwards, so the functions' own clients are counted as they are, unchanged.
/// </summary>
public sealed class AwsRequestCounter : IRuntimePipelineCustomizer
{
    private static readonly Lazy<AwsRequestCounter> Shared = new(() =>
    {
        var counter = new AwsRequestCounter();
        RuntimePipelineCustomizerRegistry.Instance.Register(counter);
        return counter;
    });

    private readonly ConcurrentDictionary<(string Function, string Service, string Operation), long> _counts = new();

    private AwsRequestCounter()
    {
    }

    /// <summary>The process-wide counter (registered on first use: create it before the clients to count).</summary>
    public static AwsRequestCounter Instance => Shared.Value;

    public string UniqueName => "ivs-serverless-benchmark-request-counter";

    /// <summary>The counts so far; subtract two snapshots for a window.</summary>
    public IReadOnlyDictionary<(string Function, string Service, string Operation), long> Snapshot() =>
        new Dictionary<(string, string, string), long>(_counts);

    public void Customize(Type type, RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.AddHandlerAfter<RetryHandler>(new CountingHandler(this));
    }

    /// <summary>What <paramref name="after"/> counted more than <paramref name="before"/>, where the key matches.</summary>
    public static long Delta(
        IReadOnlyDictionary<(string Function, string Service, string Operation), long> before,
        IReadOnlyDictionary<(string Function, string Service, string Operation), long> after,
        Func<(string Function, string Service, string Operation), bool> match) =>
        after.Where(kv => match(kv.Key)).Sum(kv => kv.Value - before.GetValueOrDefault(kv.Key));

    private sealed class CountingHandler(AwsRequestCounter counter) : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            Count(executionContext);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Count(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        private void Count(IExecutionContext context)
        {
            var request = context.RequestContext;
            var operation = request.RequestName is { } name && name.EndsWith("Request", StringComparison.Ordinal)
                ? name[..^"Request".Length]
                : request.RequestName ?? "?";
            var key = (LocalFunction.Current ?? "(none)", request.ServiceMetaData?.ServiceId ?? "?", operation);
            counter._counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }
}
