using System.Threading.Channels;

namespace IvsServerless.IvsEmulator.Events;

/// <summary>Where the emulator sends the EventBridge events IVS would emit. Called under the state lock:
/// implementations must not block.</summary>
public interface IIvsEventSink
{
    void Publish(IvsEvent ivsEvent);
}

/// <summary>
/// The default sink: an in-process channel that a consumer (a test, the local event bus) reads, plus a
/// short history of recent events for inspection through the simulation surface. The channel is bounded
/// and drops its oldest event when full, so an emulator run alone (nobody reading) cannot grow without end.
/// </summary>
public sealed class ChannelEventSink : IIvsEventSink
{
    private const int HistorySize = 1000;
    private const int ChannelCapacity = 100_000;
    private readonly Channel<IvsEvent> _channel = Channel.CreateBounded<IvsEvent>(
        new BoundedChannelOptions(ChannelCapacity) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Queue<IvsEvent> _recent = new();
    private readonly Lock _recentGate = new();

    public ChannelReader<IvsEvent> Reader => _channel.Reader;

    public void Publish(IvsEvent ivsEvent)
    {
        _channel.Writer.TryWrite(ivsEvent);
        lock (_recentGate)
        {
            _recent.Enqueue(ivsEvent);
            if (_recent.Count > HistorySize)
            {
                _recent.Dequeue();
            }
        }
    }

    public IReadOnlyList<IvsEvent> Recent()
    {
        lock (_recentGate)
        {
            return _recent.ToList();
        }
    }
}
