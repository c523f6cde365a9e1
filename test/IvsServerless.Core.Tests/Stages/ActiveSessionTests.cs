using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Tests.Stages;

public sealed class ActiveSessionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static Stage NewStage() => new("st-1", "arn:aws:ivs:us-east-1:123456789012:stage/st-1", "n", "alice",
        StageVisibility.Public, new HashSet<string>(), new HashSet<string>(), T0);

    [Fact]
    public void NewerObservationSetsTheSessionAndBumpsTheVersion()
    {
        var updated = NewStage().WithActiveSession("ses-1", T0.AddSeconds(5));

        Assert.NotNull(updated);
        Assert.Equal("ses-1", updated.ActiveSessionId);
        Assert.Equal(T0.AddSeconds(5), updated.ActiveSessionObservedAt);
        Assert.Equal(2, updated.Version);
    }

    [Fact]
    public void OlderOrEqualObservationChangesNothing()
    {
        var live = NewStage().WithActiveSession("ses-2", T0.AddSeconds(10))!;

        Assert.Null(live.WithActiveSession("ses-1", T0.AddSeconds(9)));
        Assert.Null(live.WithActiveSession(null, T0.AddSeconds(10)));
    }

    [Fact]
    public void SameSessionAgainIsNotAWrite()
    {
        var live = NewStage().WithActiveSession("ses-1", T0)!;

        Assert.Null(live.WithActiveSession("ses-1", T0.AddMinutes(1)));
    }

    [Fact]
    public void ANewerObservationOfNoSessionEndsTheLiveSession()
    {
        var ended = NewStage().WithActiveSession("ses-1", T0)!.WithActiveSession(null, T0.AddMinutes(1));

        Assert.NotNull(ended);
        Assert.Null(ended.ActiveSessionId);
    }
}
