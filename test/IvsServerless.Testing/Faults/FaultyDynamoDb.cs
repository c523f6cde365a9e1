using System.Collections.Concurrent;
using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Testing.Faults;

/// <summary>
/// A DynamoDB client that passes everything to a real one, except the writes a test chooses: an <c>UpdateItem</c> or
/// <c>PutItem</c> on a chosen key is throttled (it throws before reaching the table), and chosen items of a
/// <c>BatchWriteItem</c> come back as <c>UnprocessedItems</c> (the rest are written). <see cref="Fail"/> picks items by
/// their sort key; <see cref="Heal"/> stops failing. Thread-safe.
/// </summary>
public class FaultyDynamoDb : DispatchProxy
{
    private IAmazonDynamoDB _inner = null!;
    private volatile Func<string, bool> _fails = _ => false;
    private readonly ConcurrentQueue<string> _failed = new();

    /// <summary>The sort keys of every write refused so far.</summary>
    public IReadOnlyCollection<string> Failed => _failed;

    public static IAmazonDynamoDB Wrap(IAmazonDynamoDB inner)
    {
        var client = Create<IAmazonDynamoDB, FaultyDynamoDb>();
        ((FaultyDynamoDb)(object)client)._inner = inner;
        return client;
    }

    public static FaultyDynamoDb Of(IAmazonDynamoDB client) => (FaultyDynamoDb)(object)client;

    /// <summary>Refuse every write whose item's sort key satisfies <paramref name="sortKey"/>.</summary>
    public void Fail(Func<string, bool> sortKey) => _fails = sortKey;

    public void Heal() => _fails = _ => false;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        switch (args?.FirstOrDefault())
        {
            case UpdateItemRequest update when Refuses(update.Key):
                return Task.FromException<UpdateItemResponse>(Throttled());
            case PutItemRequest put when Refuses(put.Item):
                return Task.FromException<PutItemResponse>(Throttled());
            case BatchWriteItemRequest batch:
                return WriteBatchAsync(batch, (CancellationToken)args[1]!);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private async Task<BatchWriteItemResponse> WriteBatchAsync(BatchWriteItemRequest batch, CancellationToken cancellationToken)
    {
        var refused = new Dictionary<string, List<WriteRequest>>();
        var sent = new Dictionary<string, List<WriteRequest>>();
        foreach (var (table, writes) in batch.RequestItems)
        {
            foreach (var write in writes)
            {
                var item = write.PutRequest?.Item ?? write.DeleteRequest.Key;
                var target = Refuses(item) ? refused : sent;
                (target.TryGetValue(table, out var list) ? list : target[table] = []).Add(write);
            }
        }

        var response = sent.Count == 0
            ? new BatchWriteItemResponse { UnprocessedItems = [] }
            : await _inner.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = sent }, cancellationToken);
        response.UnprocessedItems ??= [];
        foreach (var (table, writes) in refused)
        {
            (response.UnprocessedItems.TryGetValue(table, out var list) ? list : response.UnprocessedItems[table] = []).AddRange(writes);
        }

        return response;
    }

    private bool Refuses(Dictionary<string, AttributeValue> item)
    {
        if (item.TryGetValue("SK", out var sortKey) && sortKey.S is { } text && _fails(text))
        {
            _failed.Enqueue(text);
            return true;
        }

        return false;
    }

    private static ProvisionedThroughputExceededException Throttled() => new("Rate of requests exceeds the allowed throughput (injected).");
}
