using System.Text.Json.Nodes;
using System.Threading.Channels;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.LocalBus.Tests;

/// <summary>Records every event it is given; can be told to fail a number of times first.</summary>
public sealed class RecordingHandler(int failures = 0, string error = "boom") : ILambdaHandler
{
    private readonly Channel<JsonObject> _received = Channel.CreateUnbounded<JsonObject>();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ChannelReader<JsonObject> Received => _received.Reader;

    public List<JsonObject> Drain()
    {
        var events = new List<JsonObject>();
        while (_received.Reader.TryRead(out var e))
        {
            events.Add(e);
        }
        return events;
    }

    public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _calls) <= failures)
        {
            throw new InvalidOperationException(error);
        }
        _received.Writer.TryWrite((JsonObject)JsonNode.Parse(payload.Span)!);
        return Task.FromResult(ReadOnlyMemory<byte>.Empty);
    }
}
