using System.Text.Json.Nodes;
using System.Threading.Channels;
using IvsServerless.Deployment.Events;

namespace IvsServerless.LocalBus.Tests;

public class LocalEventBusTests
{
    private static JsonObject Event(string detailType, string source = "aws.ivs") => new()
    {
        ["version"] = "0",
        ["id"] = Guid.NewGuid().ToString(),
        ["detail-type"] = detailType,
        ["source"] = source,
        ["detail"] = new JsonObject { ["event_name"] = "Participant Published" },
    };

    private static (LocalEventBus Bus, List<TimeSpan> Delays) NewBus(int maxAttempts = 3)
    {
        var delays = new List<TimeSpan>();
        var bus = new LocalEventBus(new LocalEventBusOptions
        {
            MaxAttempts = maxAttempts,
            InitialBackoff = TimeSpan.FromSeconds(1),
            Delay = (delay, _) => { lock (delays) { delays.Add(delay); } return Task.CompletedTask; },
        });
        return (bus, delays);
    }

    [Fact]
    public async Task Delivers_to_the_matching_target_only()
    {
        var (bus, _) = NewBus();
        await using var _bus = bus;
        var stage = new RecordingHandler();
        var composition = new RecordingHandler();
        bus.AddRule(IvsRules.StageUpdate.Name, IvsRules.StageUpdate.Pattern, stage);
        bus.AddRule(IvsRules.CompositionStateChange.Name, IvsRules.CompositionStateChange.Pattern, composition);

        var sent = Event("IVS Stage Update");
        Assert.Equal(1, await bus.PublishAsync(sent));

        var received = Assert.Single(stage.Drain());
        Assert.Equal(sent.ToJsonString(), received.ToJsonString());
        Assert.Equal(0, composition.Calls);
        Assert.Equal(0, bus.UnmatchedCount);
    }

    [Fact]
    public async Task Every_matching_rule_gets_the_event()
    {
        var (bus, _) = NewBus();
        await using var _bus = bus;
        var a = new RecordingHandler();
        var b = new RecordingHandler();
        bus.AddRule("a", IvsRules.StageUpdate.Pattern, a);
        bus.AddRule("b", """{"source":[{"prefix":"aws."}]}""", b);

        Assert.Equal(2, await bus.PublishAsync(Event("IVS Stage Update")));
        Assert.Equal(1, a.Calls);
        Assert.Equal(1, b.Calls);
    }

    [Fact]
    public async Task Retries_with_exponential_backoff_then_succeeds()
    {
        var (bus, delays) = NewBus();
        await using var _bus = bus;
        var flaky = new RecordingHandler(failures: 2);
        bus.AddRule("stage", IvsRules.StageUpdate.Pattern, flaky);

        await bus.PublishAsync(Event("IVS Stage Update"));

        Assert.Equal(3, flaky.Calls);
        Assert.Single(flaky.Drain());
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], delays);
        Assert.Empty(bus.DeadLetters);
    }

    [Fact]
    public async Task By_default_a_direct_target_is_retried_as_lambda_retries_an_asynchronous_invocation()
    {
        var delays = new List<TimeSpan>();
        await using var bus = new LocalEventBus(new LocalEventBusOptions
        {
            Delay = (delay, _) => { lock (delays) { delays.Add(delay); } return Task.CompletedTask; },
        });
        var broken = new RecordingHandler(failures: int.MaxValue);
        bus.AddRule("stage", IvsRules.StageUpdate.Pattern, broken);

        await bus.PublishAsync(Event("IVS Stage Update"));

        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)], delays);
        Assert.Equal(3, broken.Calls);
        Assert.Equal(3, Assert.Single(bus.DeadLetters).Attempts);
    }

    [Fact]
    public async Task An_event_waiting_for_its_retry_does_not_hold_back_later_events()
    {
        var delays = new ManualDelays();
        await using var bus = new LocalEventBus(new LocalEventBusOptions { Delay = delays.Delay });
        var first = Event("IVS Stage Update");
        var handler = new RecordingHandler(failures: 1);
        bus.AddRule("stage", IvsRules.StageUpdate.Pattern, handler);

        var firstDone = bus.PublishAsync(first);
        var retry = await delays.NextAsync(TimeSpan.FromMinutes(1));
        var later = Event("IVS Stage Update");
        await bus.PublishAsync(later).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(later["id"]!.GetValue<string>(), Assert.Single(handler.Drain())["id"]!.GetValue<string>());
        Assert.False(firstDone.IsCompleted);
        retry.Elapse();
        await firstDone.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(first["id"]!.GetValue<string>(), Assert.Single(handler.Drain())["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task After_the_last_attempt_the_event_is_dead_lettered()
    {
        var (bus, delays) = NewBus(maxAttempts: 4);
        await using var _bus = bus;
        var broken = new RecordingHandler(failures: int.MaxValue, error: "table is gone");
        var healthy = new RecordingHandler();
        bus.AddRule("broken", IvsRules.StageUpdate.Pattern, broken);
        bus.AddRule("healthy", IvsRules.StageUpdate.Pattern, healthy);

        var sent = Event("IVS Stage Update");
        await bus.PublishAsync(sent);

        var dead = Assert.Single(bus.DeadLetters);
        Assert.Equal("broken", dead.RuleName);
        Assert.Equal(4, dead.Attempts);
        Assert.Equal("table is gone", dead.ErrorMessage);
        Assert.Equal(sent["id"]!.GetValue<string>(), JsonNode.Parse(dead.EventJson)!["id"]!.GetValue<string>());
        Assert.Equal(4, broken.Calls);
        Assert.Equal(3, delays.Count);
        Assert.Equal(1, healthy.Calls); // one failing target does not hold back the others

        bus.ClearDeadLetters();
        Assert.Empty(bus.DeadLetters);
    }

    [Fact]
    public async Task Events_that_match_no_rule_are_counted()
    {
        var (bus, _) = NewBus();
        await using var _bus = bus;
        var stage = new RecordingHandler();
        bus.AddRule("stage", IvsRules.StageUpdate.Pattern, stage);

        Assert.Equal(0, await bus.PublishAsync(Event("IVS Stage Update", source: "custom.app")));
        Assert.Equal(0, await bus.PublishAsync(Event("Something Else")));

        Assert.Equal(2, bus.UnmatchedCount);
        Assert.Equal(0, stage.Calls);
    }

    [Fact]
    public async Task Concurrent_publishers_each_get_delivered_once()
    {
        var (bus, _) = NewBus();
        await using var _bus = bus;
        var stage = new RecordingHandler();
        bus.AddRule("stage", IvsRules.StageUpdate.Pattern, stage);

        var sent = Enumerable.Range(0, 200).Select(_ => Event("IVS Stage Update")).ToList();
        await Task.WhenAll(sent.Select(e => Task.Run(() => bus.PublishAsync(e))));

        Assert.Equal(
            sent.Select(e => e["id"]!.GetValue<string>()).Order(),
            stage.Drain().Select(e => e["id"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Rejects_what_is_not_a_json_object()
    {
        var (bus, _) = NewBus();
        await using var _bus = bus;
        Assert.Throws<ArgumentException>(() => { _ = bus.PublishAsync("[1,2]"u8.ToArray()); });
        Assert.Throws<ArgumentException>(() => { _ = bus.PublishAsync("{"u8.ToArray()); });
        Assert.Throws<ArgumentException>(() => bus.AddRule("x", "{}", new RecordingHandler()));
    }

    [Fact]
    public async Task Rule_names_are_unique()
    {
        var (bus, _) = NewBus();
        await using var _bus = bus;
        bus.AddRule("stage", IvsRules.StageUpdate.Pattern, new RecordingHandler());
        Assert.Throws<ArgumentException>(() => bus.AddRule("stage", IvsRules.CompositionStateChange.Pattern, new RecordingHandler()));
    }

    [Fact]
    public async Task The_pump_publishes_in_order_skips_malformed_items_and_stops_when_cancelled()
    {
        var (bus, _) = NewBus();
        await using var _bus = bus;
        var stage = new RecordingHandler();
        bus.AddRule("stage", IvsRules.StageUpdate.Pattern, stage);
        var source = Channel.CreateUnbounded<string>();
        using var stop = new CancellationTokenSource();
        var pump = bus.RunAsync(source.Reader, s => System.Text.Encoding.UTF8.GetBytes(s), stop.Token);

        var first = Event("IVS Stage Update");
        var second = Event("IVS Stage Update");
        source.Writer.TryWrite(first.ToJsonString());
        source.Writer.TryWrite("not json");
        source.Writer.TryWrite(second.ToJsonString());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var a = await stage.Received.ReadAsync(timeout.Token);
        var b = await stage.Received.ReadAsync(timeout.Token);
        Assert.Equal(first["id"]!.GetValue<string>(), a["id"]!.GetValue<string>());
        Assert.Equal(second["id"]!.GetValue<string>(), b["id"]!.GetValue<string>());
        Assert.Equal(1, bus.RejectedCount);

        await stop.CancelAsync();
        await pump.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Publishing_after_dispose_fails()
    {
        var (bus, _) = NewBus();
        await bus.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => { _ = bus.PublishAsync(Event("IVS Stage Update")); });
    }
}
