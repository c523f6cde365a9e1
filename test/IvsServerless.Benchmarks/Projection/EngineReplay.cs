using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Benchmarks.Projection;

/// <param name="Refused">Requests the engine answered with an error (a guard that failed, as in the run).</param>
public sealed record ReplayResult(int Requests, TimeSpan Elapsed, int Concurrency, int Refused)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// The engine ceiling for the projection's own work: the requests a batched run sent (its conditional
/// <c>UpdateItem</c>s with their guards and return values, its <c>BatchWriteItem</c>s of event-log entries, its stage
/// reads), sent again in the same order into a table seeded the same way, with nothing between them but the client, at
/// the in-flight bound the batched run had. Guards fail where they failed in the run (same order, same items); such
/// answers are counted, not errors.
/// </summary>
public static class EngineReplay
{
    public static async Task<ReplayResult> RunAsync(IAmazonDynamoDB client, string fromTable, string toTable,
        IReadOnlyList<AmazonDynamoDBRequest> requests, int concurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var retargeted = requests.Select(r => Retarget(r, fromTable, toTable)).ToList();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(retargeted,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (request, ct) =>
            {
                try
                {
                    await SendAsync(client, request, ct);
                }
                catch (AmazonDynamoDBException)
                {
                    Interlocked.Increment(ref refused);
                }
            });
        return new ReplayResult(retargeted.Count, clock.Elapsed, concurrency, refused);
    }

    /// <summary>The same request against <paramref name="toTable"/> (the request is changed in place and returned).</summary>
    public static AmazonDynamoDBRequest Retarget(AmazonDynamoDBRequest request, string fromTable, string toTable)
    {
        string Name(string table) => table == fromTable ? toTable : table;
        Dictionary<string, TValue> Keys<TValue>(Dictionary<string, TValue> items) =>
            items.ToDictionary(i => Name(i.Key), i => i.Value, StringComparer.Ordinal);
        switch (request)
        {
            case UpdateItemRequest r:
                r.TableName = Name(r.TableName);
                break;
            case PutItemRequest r:
                r.TableName = Name(r.TableName);
                break;
            case GetItemRequest r:
                r.TableName = Name(r.TableName);
                break;
            case QueryRequest r:
                r.TableName = Name(r.TableName);
                break;
            case BatchWriteItemRequest r:
                r.RequestItems = Keys(r.RequestItems);
                break;
            case BatchGetItemRequest r:
                r.RequestItems = Keys(r.RequestItems);
                break;
            case TransactWriteItemsRequest r:
                foreach (var item in r.TransactItems)
                {
                    if (item.Put is { } put)
                    {
                        put.TableName = Name(put.TableName);
                    }

                    if (item.Update is { } update)
                    {
                        update.TableName = Name(update.TableName);
                    }

                    if (item.ConditionCheck is { } check)
                    {
                        check.TableName = Name(check.TableName);
                    }

                    if (item.Delete is { } delete)
                    {
                        delete.TableName = Name(delete.TableName);
                    }
                }

                break;
            default:
                throw new NotSupportedException($"{request.GetType().Name} is not replayed");
        }

        return request;
    }

    private static Task SendAsync(IAmazonDynamoDB client, AmazonDynamoDBRequest request, CancellationToken ct) => request switch
    {
        UpdateItemRequest r => client.UpdateItemAsync(r, ct),
        PutItemRequest r => client.PutItemAsync(r, ct),
        GetItemRequest r => client.GetItemAsync(r, ct),
        QueryRequest r => client.QueryAsync(r, ct),
        BatchWriteItemRequest r => client.BatchWriteItemAsync(r, ct),
        BatchGetItemRequest r => client.BatchGetItemAsync(r, ct),
        TransactWriteItemsRequest r => client.TransactWriteItemsAsync(r, ct),
        _ => throw new NotSupportedException($"{request.GetType().Name} is not replayed"),
    };
}
