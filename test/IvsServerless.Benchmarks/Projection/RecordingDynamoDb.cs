using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Benchmarks.Projection;

/// <summary>One request as it went to the engine: the request itself, when it was sent and when its answer was back.</summary>
/// <param name="Start">A <see cref="Stopwatch"/> timestamp taken before the call.</param>
/// <param name="End">A <see cref="Stopwatch"/> timestamp taken when its task completed.</param>
/// <param name="Error">The exception's type name (e.g. <c>ConditionalCheckFailedException</c>), or null.</param>
public sealed record RecordedRequest(AmazonDynamoDBRequest Request, long Start, long End, string? Error)
{
    public string Operation => Request.GetType().Name[..^"Request".Length];
}

/// <summary>
/// A DynamoDB client that passes everything to a real one and records every request with its start and end: the
/// batched run's profile (requests in flight over time) and the exact work <see cref="EngineReplay"/> sends again.
/// </summary>
public class RecordingDynamoDb : DispatchProxy
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private IAmazonDynamoDB _inner = null!;

    /// <summary>Every request recorded so far, in the order they were sent.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.OrderBy(r => r.Start)];

    public static IAmazonDynamoDB Wrap(IAmazonDynamoDB inner)
    {
        var client = Create<IAmazonDynamoDB, RecordingDynamoDb>();
        ((RecordingDynamoDb)(object)client)._inner = inner;
        return client;
    }

    public static RecordingDynamoDb Of(IAmazonDynamoDB client) => (RecordingDynamoDb)(object)client;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var start = Stopwatch.GetTimestamp();
        object? result;
        try
        {
            result = targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }

        if (args?.FirstOrDefault() is AmazonDynamoDBRequest request && result is Task task)
        {
            task.ContinueWith(
                t => _requests.Enqueue(new RecordedRequest(request, start, Stopwatch.GetTimestamp(),
                    t.Exception?.InnerException?.GetType().Name)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return result;
    }
}

/// <summary>How busy the engine was kept: requests in flight over the run, from the recorded starts and ends.</summary>
/// <param name="MeanInFlight">Time-weighted mean of requests in flight over the whole run.</param>
/// <param name="IdleShare">Share of the run with no request in flight (the client was computing, or waiting on nothing).</param>
/// <param name="MeanLatencyMs">Mean time from sending a request to having its answer (client marshalling included).</param>
public sealed record InFlightProfile(
    int Requests, double MeanInFlight, int MaxInFlight, double IdleShare, double MeanLatencyMs,
    IReadOnlyDictionary<string, int> ByOperation)
{
    public static InFlightProfile Of(IReadOnlyList<RecordedRequest> requests, long from, long to)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var steps = requests.SelectMany(r => new[] { (At: r.Start, Delta: 1), (At: r.End, Delta: -1) })
            .OrderBy(s => s.At).ThenBy(s => s.Delta).ToList();
        long idle = 0;
        long weighted = 0;
        var inFlight = 0;
        var max = 0;
        var last = from;
        foreach (var (at, delta) in steps)
        {
            var span = Math.Max(0, at - last);
            weighted += span * inFlight;
            idle += inFlight == 0 ? span : 0;
            last = Math.Max(last, at);
            inFlight += delta;
            max = Math.Max(max, inFlight);
        }

        var tail = Math.Max(0, to - last);
        idle += inFlight == 0 ? tail : 0;
        var wall = Math.Max(1, to - from);
        return new InFlightProfile(requests.Count, (double)weighted / wall, max, (double)idle / wall,
            requests.Count == 0 ? 0 : requests.Average(r => (r.End - r.Start) * 1000.0 / Stopwatch.Frequency),
            requests.GroupBy(r => r.Operation).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }
}
