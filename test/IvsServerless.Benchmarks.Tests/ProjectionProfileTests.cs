using System.Diagnostics;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Benchmarks.Projection;

namespace IvsServerless.Benchmarks.Tests;

/// <summary>The batched projection run's instruments: requests in flight over time, the replay's retargeting, CPU times.</summary>
public sealed class ProjectionProfileTests
{
    private static RecordedRequest At(long start, long end) =>
        new(new UpdateItemRequest { TableName = "t" }, start * Stopwatch.Frequency / 1000, end * Stopwatch.Frequency / 1000, null);

    [Fact]
    public void In_flight_profile_weights_requests_by_time_and_counts_the_gaps()
    {
        // 0–100 ms: none; 100–200: one; 200–300: two; 300–400: one; 400–1000: none.
        RecordedRequest[] requests = [At(100, 300), At(200, 400)];

        var profile = InFlightProfile.Of(requests, 0, Stopwatch.Frequency);

        Assert.Equal(2, profile.MaxInFlight);
        Assert.Equal(0.4, profile.MeanInFlight, 3);
        Assert.Equal(0.7, profile.IdleShare, 3);
        Assert.Equal(200, profile.MeanLatencyMs, 3);
        Assert.Equal(2, profile.ByOperation["UpdateItem"]);
    }

    [Fact]
    public void Replay_sends_each_request_to_the_new_table_and_leaves_other_tables_alone()
    {
        var update = (UpdateItemRequest)EngineReplay.Retarget(new UpdateItemRequest { TableName = "run" }, "run", "replay");
        var batch = (BatchWriteItemRequest)EngineReplay.Retarget(new BatchWriteItemRequest
        {
            RequestItems = new() { ["run"] = [new WriteRequest()], ["other"] = [new WriteRequest(), new WriteRequest()] },
        }, "run", "replay");

        Assert.Equal("replay", update.TableName);
        Assert.Equal(["other", "replay"], batch.RequestItems.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, batch.RequestItems["other"].Count);
        Assert.Throws<NotSupportedException>(() => EngineReplay.Retarget(new ScanRequest { TableName = "run" }, "run", "replay"));
    }

    [Fact]
    public void Cpu_time_read_from_proc_is_what_the_runtime_reports_for_this_process()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var before = CpuSample.Read(Environment.ProcessId);
        using var self = Process.GetCurrentProcess();
        var runtime = self.TotalProcessorTime;
        var after = CpuSample.Read(Environment.ProcessId);

        // /proc counts in 10 ms ticks, sampled per thread by the scheduler; the runtime asks the kernel another way.
        var slack = TimeSpan.FromMilliseconds(100);
        Assert.NotNull(before);
        Assert.True(runtime > TimeSpan.Zero);
        Assert.InRange(runtime, before.Value - slack, after!.Value + slack);
    }
}
