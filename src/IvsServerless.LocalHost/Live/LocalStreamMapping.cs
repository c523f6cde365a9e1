using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.Deployment.Functions;

namespace IvsServerless.LocalHost.Live;

/// <summary>A batch given up on after its retries (the on-failure destination in AWS).</summary>
public sealed record StreamFailure(string ShardId, string FirstSequenceNumber, int Records, DateTimeOffset At);

/// <summary>
/// The local stand-in for Lambda's DynamoDB stream event source mapping: reads the table's stream from DynamoDB Local's
/// Streams API (DescribeStream, GetShardIterator, GetRecords: the JSON protocol, there being no streams client in the
/// SDK package this project uses), keeps the records the mapping's filter keeps (<see cref="TableStreamTrigger"/>), and
/// invokes the function with Lambda's event for them. A partial batch failure is retried from the record it names, at
/// most <see cref="TableStreamTrigger.MaxRetries"/> times; then the batch is recorded in <see cref="Failures"/> and the
/// shard moves on, as the on-failure destination would get it.
/// </summary>
public sealed class LocalStreamMapping(HttpClient http, Uri dynamoDbUrl, string region, string streamArn, TableStreamTrigger trigger,
    LocalFunction function)
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(20);
    private readonly ConcurrentQueue<StreamFailure> _failures = new();

    public IReadOnlyCollection<StreamFailure> Failures => _failures;

    /// <summary>Every invocation of the function (for the benchmark's count).</summary>
    public int Invocations => _invocations;

    private int _invocations;

    /// <param name="fromStart">Read shards from their start (a table created here) or only what comes next (an existing one).</param>
    public async Task RunAsync(bool fromStart, CancellationToken ct)
    {
        var iterators = new Dictionary<string, string?>(StringComparer.Ordinal);
        var known = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        var lastDiscovery = DateTimeOffset.MinValue;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (iterators.Count == 0 || DateTimeOffset.UtcNow - lastDiscovery > TimeSpan.FromSeconds(2))
                {
                    lastDiscovery = DateTimeOffset.UtcNow;
                    foreach (var shard in await ShardsAsync(ct))
                    {
                        if (known.Add(shard))
                        {
                            iterators[shard] = await IteratorAsync(shard, fromStart || !first ? "TRIM_HORIZON" : "LATEST", null, ct);
                        }
                    }

                    first = false;
                }

                var any = false;
                foreach (var shard in iterators.Keys.ToList())
                {
                    if (iterators[shard] is not { } iterator)
                    {
                        iterators.Remove(shard);
                        continue;
                    }

                    var (records, next) = await RecordsAsync(iterator, ct);
                    iterators[shard] = next;
                    if (records.Count > 0)
                    {
                        any = true;
                        await DeliverAsync(shard, records, ct);
                    }
                }

                if (!any)
                {
                    await Task.Delay(IdlePoll, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or TimeoutException)
            {
                // DynamoDB Local restarting or an expired iterator: start over from the shards' current ends.
                iterators.Clear();
                known.Clear();
                first = true;
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
        }
    }

    private async Task DeliverAsync(string shard, List<JsonNode> records, CancellationToken ct)
    {
        var batch = records.Where(Keeps).ToList();
        for (var attempt = 0; batch.Count > 0; attempt++)
        {
            var payload = new JsonObject { ["Records"] = new JsonArray([.. batch.Select(r => r.DeepClone())]) };
            string? failed;
            try
            {
                Interlocked.Increment(ref _invocations);
                var response = await function.InvokeAsync(Encoding.UTF8.GetBytes(payload.ToJsonString()), Guid.NewGuid().ToString(), ct);
                failed = IvsServerless.Live.Streams.StreamEvent.FirstFailure(response.Span);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The whole invocation failed (Lambda would retry the batch).
                failed = SequenceOf(batch[0]);
            }

            if (failed is null)
            {
                return;
            }

            var index = batch.FindIndex(r => SequenceOf(r) == failed);
            batch = index < 0 ? batch : batch[index..];
            if (attempt >= trigger.MaxRetries)
            {
                _failures.Enqueue(new StreamFailure(shard, SequenceOf(batch[0]), batch.Count, DateTimeOffset.UtcNow));
                return;
            }
        }
    }

    /// <summary>The mapping's filter: <c>dynamodb.Keys.PK.S</c> begins with one of the declared prefixes.</summary>
    private bool Keeps(JsonNode record)
    {
        var pk = record["dynamodb"]?["Keys"]?["PK"]?["S"]?.GetValue<string>() ?? "";
        return trigger.PartitionKeyPrefixes.Any(p => pk.StartsWith(p, StringComparison.Ordinal));
    }

    private static string SequenceOf(JsonNode record) => record["dynamodb"]!["SequenceNumber"]!.GetValue<string>();

    private async Task<List<string>> ShardsAsync(CancellationToken ct)
    {
        var shards = new List<string>();
        string? start = null;
        do
        {
            var request = new JsonObject { ["StreamArn"] = streamArn };
            if (start is not null)
            {
                request["ExclusiveStartShardId"] = start;
            }

            var description = (await CallAsync("DescribeStream", request, ct))["StreamDescription"]!;
            shards.AddRange(description["Shards"]!.AsArray().Select(s => s!["ShardId"]!.GetValue<string>()));
            start = description["LastEvaluatedShardId"]?.GetValue<string>();
        }
        while (start is not null);

        return shards;
    }

    private async Task<string?> IteratorAsync(string shard, string type, string? sequenceNumber, CancellationToken ct)
    {
        var request = new JsonObject { ["StreamArn"] = streamArn, ["ShardId"] = shard, ["ShardIteratorType"] = type };
        if (sequenceNumber is not null)
        {
            request["SequenceNumber"] = sequenceNumber;
        }

        return (await CallAsync("GetShardIterator", request, ct))["ShardIterator"]?.GetValue<string>();
    }

    private async Task<(List<JsonNode> Records, string? Next)> RecordsAsync(string iterator, CancellationToken ct)
    {
        var response = await CallAsync("GetRecords", new JsonObject { ["ShardIterator"] = iterator, ["Limit"] = 100 }, ct);
        var records = response["Records"]?.AsArray().Select(r => r!.DeepClone()).ToList() ?? [];
        foreach (var record in records)
        {
            record["eventSourceARN"] = streamArn;
        }

        return (records, response["NextShardIterator"]?.GetValue<string>());
    }

    private async Task<JsonNode> CallAsync(string operation, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, dynamoDbUrl)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDBStreams_20120810." + operation);
        // DynamoDB Local reads the credential scope but checks no signature.
        var date = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=local/{date}/{region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"DynamoDB Streams {operation} failed: {(int)response.StatusCode} {text}");
    }
}
