using System.Threading.Channels;

namespace IvsServerless.IvsEmulator.Events;

/// <summary>Where the emulator sends the EventBridge events IVS would emit. Called under the state lock:
/// implementations must not block.</summary>
public interface IIvsEventSink
{
    void Publish(IvsEvent ivsEvent);
}

/// <summary>
/// The default sink: an unbounded in-process channel that a consumer (a test, the local event bus)
/// reads, plus a short history of recent events for inspection through the simulation surface.
/// </summary>
public sealed class ChannelEventSink : IIvsEventSink
{
    private const int HistorySize = 1000;
    private readonly Channel<IvsEvent> _channel = Channel.CreateUnbounded<IvsEvent>(new UnboundedChannelOptions { SingleReader = false });
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
