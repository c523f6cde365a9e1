using IvsServerless.Benchmarks.Projection;

namespace IvsServerless.EventHandlers.Tests;

/// <summary>The projection benchmark, small, so it cannot rot: its correctness half must hold (timings are only printed).</summary>
public sealed class ProjectionBenchmarkSmokeTests
{
    [Fact]
    public async Task Three_hundred_shuffled_events_with_duplicates_lose_and_corrupt_nothing()
    {
        var result = await ProjectionBenchmark.RunAsync(
            new ProjectionRunOptions(Events: 300, Stages: 5, Concurrency: 16, Seed: 3), default);

        Assert.True(result.Delivered > result.Distinct);
        Assert.True(result.ItemsExpected > 30, $"only {result.ItemsExpected} items");
        Assert.Equal((0, 0, 0, 0), (result.ItemsLost, result.ItemsWrong, result.ItemsUnexpected, result.Rejected));
        Assert.Equal(result.LogEntriesExpected, result.LogEntriesFound);
    }
}

/// <summary>The batched run of the benchmark, small: throttled writes come back, are retried, and nothing is lost or wrong.</summary>
public sealed class BatchedProjectionBenchmarkSmokeTests
{
    [Theory]
    [InlineData(BatchedOrder.Queue)]
    [InlineData(BatchedOrder.Shuffled)]
    public async Task Batches_with_throttled_writes_end_as_the_in_order_projection(BatchedOrder order)
    {
        var result = await BatchedProjectionRun.RunAsync(
            new BatchedRunOptions(Events: 400, Stages: 4, BatchSize: 50, MaxConcurrency: 3, Seed: 5, Order: order, FailPerMille: 150),
                default);

        Assert.True(result.FailedFirstTime > 0, "no write was refused");
        Assert.Equal(2, result.RetryRounds);
        Assert.True(result.Check.ItemsExpected > 40, $"only {result.Check.ItemsExpected} items");
        Assert.True(result.Check.Correct, result.Check.ToString());
        // The profile saw the requests the run counted (each SDK attempt counts there), and the replay sent exactly those again.
        Assert.InRange(result.Profile.Requests, 1, result.Requests);
        Assert.Equal(result.Profile.Requests, result.Replay.Requests);
        Assert.True(result.Profile.ByOperation["UpdateItem"] > 0 && result.Profile.ByOperation["BatchWriteItem"] > 0);
    }
}
