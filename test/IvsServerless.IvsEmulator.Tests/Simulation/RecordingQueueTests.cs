using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Recording;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Simulation;

/// <summary>
/// The emulator writes recordings off its state lock (issue 14): a slow bucket holds back only the recording's own events,
/// a refused write becomes the failure event IVS sends, each recording's steps stay in order, and disposal ends cleanly.
/// Each test has its own emulator, as each holds or breaks the bucket.
/// </summary>
public sealed class RecordingQueueTests : IAsyncLifetime
{
    private readonly EmulatorFixture _emulator = new();

    private IvsWireClient Client => _emulator.Client;
    private InMemoryRecordings Bucket => _emulator.Recordings;

    public Task InitializeAsync() => _emulator.InitializeAsync();

    public Task DisposeAsync()
    {
        Bucket.Hold?.TrySetResult();
        return _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_slow_bucket_holds_back_only_the_recording_events_other_calls_answer_meanwhile()
    {
        var (stageArn, sessionId, participantId) = await JoinRecordingStageAsync();
        Bucket.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var published = await Client.ActAsync(stageArn, participantId, "publish");

        // The write waits on the bucket; the emulator answers everything else, this stage included.
        Assert.Equal("STARTING", published.GetProperty("participant").GetProperty("recordingState").GetString());
        var otherStage = await Client.CreateStageAsync();
        var other = await Client.PublisherAsync(otherStage);
        await Client.ActAsync(otherStage, other, "leave");
        await Client.OkAsync("ListParticipants", new { stageArn, sessionId });
        Assert.Equal(
            "STARTING", (await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("recordingState").GetString());
        Assert.DoesNotContain(_emulator.Events.Recent(), e => e.DetailType == IvsEvent.ParticipantRecordingStateChange);
        Assert.Empty(Bucket.Objects);

        Bucket.Hold.SetResult();
        await _emulator.RecordingsWrittenAsync();

        Assert.Equal(
            "ACTIVE", (await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("recordingState").GetString());
        Assert.Equal(["Recording Start"], RecordingEvents(stageArn));
        Assert.Single(Bucket.Objects);
    }

    [Fact]
    public async Task A_refused_start_write_is_Recording_Start_Failure_and_its_queued_stop_writes_and_announces_nothing()
    {
        var (stageArn, sessionId, participantId) = await JoinRecordingStageAsync();
        Bucket.Refuses = key => key.EndsWith("/events/recording-started.json", StringComparison.Ordinal);
        Bucket.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await Client.ActAsync(stageArn, participantId, "publish");
        var unpublished = await Client.ActAsync(stageArn, participantId, "unpublish");
        Assert.Equal("STOPPING", unpublished.GetProperty("participant").GetProperty("recordingState").GetString());
        Bucket.Hold.SetResult();
        await _emulator.RecordingsWrittenAsync();

        Assert.Equal(["Recording Start Failure"], RecordingEvents(stageArn));
        Assert.Equal(
            "FAILED", (await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("recordingState").GetString());
        Assert.Empty(Bucket.Objects);
    }

    [Fact]
    public async Task A_refused_end_write_is_Recording_End_Failure_and_FAILED()
    {
        var (stageArn, sessionId, participantId) = await JoinRecordingStageAsync();
        await Client.ActAsync(stageArn, participantId, "publish");
        await _emulator.RecordingsWrittenAsync();
        Bucket.Refuses = key => key.Contains("/media/hls/", StringComparison.Ordinal);

        await Client.ActAsync(stageArn, participantId, "unpublish");
        await _emulator.RecordingsWrittenAsync();

        Assert.Equal(["Recording Start", "Recording End Failure"], RecordingEvents(stageArn));
        Assert.Equal(
            "FAILED", (await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("recordingState").GetString());
        Assert.DoesNotContain(Bucket.Objects.Keys, k => k.Key.EndsWith("/events/recording-ended.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Steps_queued_behind_a_slow_write_keep_their_order_started_before_ended_across_two_recordings()
    {
        var (stageArn, sessionId, participantId) = await JoinRecordingStageAsync();
        Bucket.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await Client.ActAsync(stageArn, participantId, "publish");
        await Client.ActAsync(stageArn, participantId, "unpublish");
        _emulator.Clock.Advance(TimeSpan.FromSeconds(2));
        await Client.ActAsync(stageArn, participantId, "publish");
        await Client.ActAsync(stageArn, participantId, "unpublish");
        Assert.Empty(RecordingEvents(stageArn));
        Bucket.Hold.SetResult();
        await _emulator.RecordingsWrittenAsync();

        var events = _emulator.Events.EventsFor(stageArn).Where(e => e.DetailType == IvsEvent.ParticipantRecordingStateChange).ToList();
        Assert.Equal(["Recording Start", "Recording End", "Recording Start", "Recording End"], events.Select(e => e.EventName));
        var prefixes = events.Select(e => e.Detail["recording_s3_key_prefix"]!.GetValue<string>()).ToList();
        Assert.Equal(prefixes[0], prefixes[1]);
        Assert.Equal(prefixes[2], prefixes[3]);
        Assert.NotEqual(prefixes[0], prefixes[2]);
        foreach (var prefix in prefixes.Distinct())
        {
            Assert.Empty(Bucket.Objects[("my-recordings", $"{prefix}/events/recording-started.json")].RecordingEventsBefore);
            Assert.Equal(
                ["Recording Start"], Bucket.Objects[("my-recordings", $"{prefix}/events/recording-ended.json")].RecordingEventsBefore);
        }

        Assert.Equal(
            "STOPPED", (await Client.ParticipantAsync(stageArn, sessionId, participantId)).GetProperty("recordingState").GetString());
    }

    [Fact]
    public async Task Disposal_writes_what_is_queued_and_cancels_a_write_that_does_not_finish()
    {
        using var bare = new IvsRealTimeEmulator(new EmulatorOptions());
        var events = new ChannelEventSink();
        var bucket = new InMemoryRecordings(events);
        var completed = new List<RecordingWriteOutcome>();
        RecordingJob Job(string key) => new("r", "my-recordings", [new RecordingObject(key, new byte[] { 1 }, "text/plain")],
            DateTimeOffset.UnixEpoch, "us-east-1", (_, outcome) => completed.Add(outcome));

        var queue = new RecordingQueue(bucket, (region, action) => bare.Run<object?>(region, context =>
        {
            action(context);
            return null;
        }));
        queue.Enqueue(Job("a"));
        queue.Enqueue(Job("b"));
        await queue.DisposeAsync();
        Assert.Equal(["a", "b"], bucket.Objects.Keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Equal([RecordingWriteOutcome.Written, RecordingWriteOutcome.Written], completed);
        await queue.FlushAsync();

        bucket.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new RecordingQueue(bucket, (region, action) => bare.Run<object?>(region, context =>
        {
            action(context);
            return null;
        }), drainGrace: TimeSpan.Zero);
        stuck.Enqueue(Job("c"));
        var flushed = stuck.FlushAsync();
        await stuck.DisposeAsync();
        Assert.DoesNotContain(bucket.Objects.Keys, k => k.Key == "c");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flushed);
        Assert.Equal(2, completed.Count);
    }

    /// <summary>A stage that records into <c>my-recordings</c>, and one participant joined to it.</summary>
    private async Task<(string StageArn, string SessionId, string ParticipantId)> JoinRecordingStageAsync()
    {
        var stageArn = await Client.CreateStageAsync();
        await _emulator.EnableRecordingAsync(stageArn, "my-recordings");
        var joined = await Client.JoinAsync(stageArn);
        return (stageArn, joined.GetProperty("sessionId").GetString()!, joined.GetProperty("participantId").GetString()!);
    }

    private List<string?> RecordingEvents(string stageArn) =>
        _emulator.Events.EventsFor(stageArn).Where(e => e.DetailType == IvsEvent.ParticipantRecordingStateChange)
            .Select(e => e.EventName).ToList();
}
