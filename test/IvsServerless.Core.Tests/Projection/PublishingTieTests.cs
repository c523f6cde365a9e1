using IvsServerless.Core.Projection;

namespace IvsServerless.Core.Tests.Projection;

public sealed class PublishingTieTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Opposite_claims_in_the_winners_second_contest_it()
    {
        Assert.True(PublishingTie.IsContested([Claim(true, 0, "a"), Claim(false, 0, "b")]));
        // A repair's stamp (the API's finer time plus ticks) still falls in its whole second.
        Assert.True(PublishingTie.IsContested([Claim(false, 0, "b"), new(true, new EventStamp(Noon.AddTicks(3), 10, "r"))]));
    }

    [Fact]
    public void Claims_of_one_value_or_of_earlier_seconds_do_not()
    {
        Assert.False(PublishingTie.IsContested([Claim(true, 0, "a"), Claim(true, 0, "b")]));
        Assert.False(PublishingTie.IsContested([Claim(true, 0, "a"), Claim(false, 1, "b")]));
        Assert.False(PublishingTie.IsContested([Claim(false, 0, "a"), Claim(true, 1, "b"), Claim(true, 1, "c")]));
        Assert.False(PublishingTie.IsContested([Claim(true, 0, "a")]));
        Assert.False(PublishingTie.IsContested([]));
    }

    [Fact]
    public void Only_the_winners_second_matters()
    {
        // Opposite claims tied in an older second are history: the newest second decided it.
        Assert.False(PublishingTie.IsContested([Claim(true, 0, "a"), Claim(false, 0, "b"), Claim(true, 2, "c")]));
    }

    private static Stamped<bool> Claim(bool publishing, int second, string id) =>
        new(publishing, new EventStamp(Noon.AddSeconds(second), publishing ? 10 : 12, id));
}
