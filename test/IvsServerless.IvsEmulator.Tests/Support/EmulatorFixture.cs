using IvsServerless.IvsEmulator.Events;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.IvsEmulator.Tests.Support;

/// <summary>
/// One emulator on a free loopback port, driven over real HTTP. The clock is a <see cref="FakeTimeProvider"/>
/// so tests move time explicitly (composition transitions, token expiry) instead of sleeping.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private EmulatorServer? _server;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    public ChannelEventSink Events { get; } = new();

    /// <summary>What the emulator wrote for recordings (buckets <c>ivs-recordings</c>, <c>my-recordings</c> and <c>my-bucket</c>
    /// exist).</summary>
    public InMemoryRecordings Recordings { get; }
    public EmulatorServer Server => _server ?? throw new InvalidOperationException("Not started.");
    public IvsRealTimeEmulator Emulator => Server.Emulator;
    public IvsWireClient Client { get; private set; } = null!;

    public EmulatorFixture() => Recordings = new InMemoryRecordings(Events);

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(options: new EmulatorOptions(), time: Clock, events: Events, recordings: Recordings);
        Client = new IvsWireClient(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Waits until the recording objects queued so far are written and their events emitted (the emulator writes
    /// them off its state lock, after the operation answered).</summary>
    public Task RecordingsWrittenAsync() => Emulator.FlushRecordingsAsync();

    /// <summary>Moves the emulator clock, applies whatever became due and waits for the recording writes it queued.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        Emulator.RunScheduled();
        // What became due may have queued recording writes, and the events behind them (Destination End, Session End).
        Assert.True(Emulator.FlushRecordingsAsync().Wait(TimeSpan.FromSeconds(10)), "The queued recording writes did not finish.");
    }
}
