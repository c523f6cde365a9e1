using IvsServerless.Benchmarks.Support;

namespace IvsServerless.Benchmarks.Tests;

public sealed class BenchmarkArgsTests
{
    [Fact]
    public void Reads_options_and_flags_and_ignores_ones_it_does_not_ask_for()
    {
        var args = new BenchmarkArgs(["--runs", "3", "--skip-aot", "--concurrency", "1,4", "--events", "10"]);

        Assert.Equal(3, args.Count("runs", 20));
        Assert.Equal(2000, args.Count("requests", 2000));
        Assert.True(args.Flag("skip-aot"));
        Assert.False(args.Flag("bootstrap"));
        Assert.Equal([1, 4], args.Counts("concurrency", [64]));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("many")]
    public void Refuses_a_count_that_is_not_a_positive_whole_number(string value) =>
        Assert.Throws<ArgumentException>(() => new BenchmarkArgs(["--runs", value]).Count("runs", 20));
}

public sealed class LatenciesTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_values_that_were_measured()
    {
        var latencies = new Latencies(Enumerable.Range(1, 100).Select(i => (double)(101 - i)));

        Assert.Equal(50, latencies.Median);
        Assert.Equal(90, latencies.Percentile(90));
        Assert.Equal(99, latencies.Percentile(99));
        Assert.Equal(100, latencies.Percentile(100));
        Assert.Equal(100, latencies.Max);
    }

    [Fact]
    public void A_single_sample_is_every_percentile() =>
        Assert.Equal(7, new Latencies([7]).Percentile(1));
}
