using IvsServerless.Benchmarks.SelfSignedTokens;

namespace IvsServerless.Benchmarks.Tests;

/// <summary>The self-signed-tokens benchmark end to end with one tiny round: it mints real (verified) tokens and reports its
/// metrics.</summary>
public sealed class SelfSignedTokensBenchmarkTests
{
    [Fact]
    public async Task Mints_verified_tokens_and_reports_both_rates_and_their_ratio()
    {
        var result = await new SelfSignedTokensBenchmark().RunAsync(
            ["--sign-rounds", "2", "--sign-round-ms", "20"], CancellationToken.None);

        Assert.Equal(0, result.Metrics["errors"]);
        Assert.True(result.Metrics["tokensPerSecond"] > 0);
        Assert.True(result.Metrics["es384SignaturesPerSecond"] > 0);
        Assert.True(result.Metrics["ratio"] > 0);
        Assert.True(result.Metrics["tokenLength"] > 500);
    }
}
