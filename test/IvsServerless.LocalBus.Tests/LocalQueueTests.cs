using System.Text.Json.Nodes;
using IvsServerless.Deployment.Events;
using IvsServerless.Deployment.Functions;

namespace IvsServerless.LocalBus.Tests;

/// <summary>A rule with a queue target: batches, partial failures, visibility timeouts, redrive, as SQS and its mapping.</summary>
public class LocalQueueTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    private static JsonObject Event(string detailType = "IVS Stage Update") => new()
    {
        ["version"] = "0",
        ["id"] = Guid.NewGuid().ToString(),
        ["detail-type"] = detailType,
        ["source"] = "aws.ivs",
        ["detail"] = new JsonObject { ["event_name"] = "Participant Published" },
    };

    private static string Id(JsonObject e) => e["id"]!.GetValue<string>();

    private static LocalQueue Queue(LocalEventBus bus, BatchHandler handler, int batchSize = 3, int maxReceives = 3)
    {
        var queue = bus.AddQueue("ivs-events", handler, new LocalQueueSettings(batchSize, Window, Visibility, maxReceives));
        foreach (var rule in IvsRules.All)
        {
            bus.AddRule(rule.Name, rule.Pattern, queue);
        }

        return queue;
    }

    [Fact]
    public async Task Events_of_several_rules_reach_the_function_in_batches_of_at_most_the_batch_size_the_last_after_the_window()
    {
        var delays = new ManualDelays();
        await using var bus = new LocalEventBus(new LocalEventBusOptions { Delay = delays.Delay });
        var handler = new BatchHandler();
        var queue = Queue(bus, handler);
        var sent = Enumerable.Range(0, 7).Select(i => Event(i % 2 == 0 ? "IVS Stage Update" : "IVS Composition State Change")).ToList();

        var done = sent.Select(e => bus.PublishAsync(e)).ToList();
        var first = await handler.NextBatchAsync();
        var second = await handler.NextBatchAsync();
        Assert.Equal([3, 3], [first.Count, second.Count]);
        Assert.False(done[6].IsCompleted);
        (await delays.NextAsync(Window)).Elapse();
        var last = await handler.NextBatchAsync();
        await Task.WhenAll(done).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(sent.Select(Id), first.Concat(second).Concat(last).Select(m => m.EventId));
        Assert.All(first.Concat(second).Concat(last), m => Assert.Equal(1, m.ReceiveCount));
        Assert.Equal(3, queue.Invocations);
        Assert.Empty(bus.DeadLetters);
    }

    [Fact]
    public async Task Only_the_reported_failures_come_back_after_the_visibility_timeout()
    {
        var delays = new ManualDelays();
        await using var bus = new LocalEventBus(new LocalEventBusOptions { Delay = delays.Delay });
        var sent = Enumerable.Range(0, 3).Select(_ => Event()).ToList();
        var handler = new BatchHandler(fails: (id, receives) => id == Id(sent[1]) && receives == 1);
        Queue(bus, handler);

        var done = sent.Select(e => bus.PublishAsync(e)).ToList();
        Assert.Equal(sent.Select(Id), (await handler.NextBatchAsync()).Select(m => m.EventId));
        await Task.WhenAll(done[0], done[2]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(done[1].IsCompleted);

        (await delays.NextAsync(Visibility)).Elapse();
        (await delays.NextAsync(Window)).Elapse();
        Assert.Equal([(Id(sent[1]), 2)], await handler.NextBatchAsync());
        await done[1].WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(bus.DeadLetters);
    }

    [Fact]
    public async Task A_message_failed_on_every_receive_is_dead_lettered_after_the_maximum_receive_count()
    {
        await using var bus = new LocalEventBus(new LocalEventBusOptions { Delay = (_, _) => Task.CompletedTask });
        var poison = Event();
        var healthy = Event();
        var handler = new BatchHandler(fails: (id, _) => id == Id(poison));
        Queue(bus, handler, batchSize: 1, maxReceives: 4);

        await Task.WhenAll(bus.PublishAsync(poison), bus.PublishAsync(healthy)).WaitAsync(TimeSpan.FromSeconds(10));

        var dead = Assert.Single(bus.DeadLetters);
        Assert.Equal(Id(poison), JsonNode.Parse(dead.EventJson)!["id"]!.GetValue<string>());
        Assert.Equal(4, dead.Attempts);
        Assert.Equal(IvsRules.StageUpdate.Name, dead.RuleName);
        var received = new List<(string EventId, int ReceiveCount)>();
        while (handler.Batches.TryRead(out var batch))
        {
            received.AddRange(batch);
        }

        Assert.Equal([1, 2, 3, 4], received.Where(m => m.EventId == Id(poison)).Select(m => m.ReceiveCount));
        Assert.Equal([1], received.Where(m => m.EventId == Id(healthy)).Select(m => m.ReceiveCount));
    }

    [Fact]
    public async Task A_failed_invocation_returns_its_whole_batch()
    {
        var delays = new ManualDelays();
        await using var bus = new LocalEventBus(new LocalEventBusOptions { Delay = delays.Delay });
        var handler = new BatchHandler(throws: invocation => invocation == 1);
        Queue(bus, handler, batchSize: 2);
        var sent = new[] { Event(), Event() };

        var done = sent.Select(e => bus.PublishAsync(e)).ToList();
        Assert.Equal(2, (await handler.NextBatchAsync()).Count);
        (await delays.NextAsync(Visibility)).Elapse();
        (await delays.NextAsync(Visibility)).Elapse();
        await Task.WhenAll(done).WaitAsync(TimeSpan.FromSeconds(10));

        var again = new List<(string EventId, int ReceiveCount)>();
        while (handler.Batches.TryRead(out var batch))
        {
            again.AddRange(batch);
        }

        Assert.Equal(sent.Select(Id).Order(), again.Select(m => m.EventId).Order());
        Assert.All(again, m => Assert.Equal(2, m.ReceiveCount));
    }

    [Fact]
    public async Task A_message_waiting_for_its_visibility_timeout_does_not_hold_back_later_batches()
    {
        var delays = new ManualDelays();
        await using var bus = new LocalEventBus(new LocalEventBusOptions { Delay = delays.Delay });
        var waiting = Event();
        var handler = new BatchHandler(fails: (id, receives) => id == Id(waiting) && receives == 1);
        Queue(bus, handler, batchSize: 1);

        var waitingDone = bus.PublishAsync(waiting);
        var visibility = await delays.NextAsync(Visibility);
        var later = Enumerable.Range(0, 5).Select(_ => Event()).ToList();
        await Task.WhenAll(later.Select(e => bus.PublishAsync(e))).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(waitingDone.IsCompleted);
        visibility.Elapse();
        await waitingDone.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(bus.DeadLetters);
    }

    [Fact]
    public void The_contract_settings_are_valid_local_queue_settings_with_a_visibility_of_six_function_timeouts()
    {
        var trigger = BackendFunctions.IvsEvents.Queue!;
        var settings = new LocalQueueSettings(
            trigger.BatchSize, trigger.BatchingWindow, QueueTrigger.VisibilityTimeoutFor(BackendFunctions.IvsEvents.Timeout),
            trigger.MaxReceiveCount);

        settings.Validate();
        Assert.Equal(BackendFunctions.IvsEvents.Timeout * 6, settings.VisibilityTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => (settings with { BatchSize = 0 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (settings with { MaxReceiveCount = 0 }).Validate());
    }
}
