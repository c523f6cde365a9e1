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
