using IvsServerless.Core.Stages;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>Builds stages for tests; every one has a fresh id.</summary>
internal static class Stages
{
    private static int _counter;

    public static Stage New(string owner = "owner-1", StageVisibility visibility = StageVisibility.Public,
        DateTimeOffset? createdAt = null, string? activeSessionId = null, string[]? coHosts = null)
    {
        var id = "st" + Interlocked.Increment(ref _counter).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
        return new Stage(id, $"arn:aws:ivs:us-east-1:123456789012:stage/{id}", "name-" + id, owner, visibility,
            new HashSet<string>(coHosts ?? []), new HashSet<string>(), createdAt
                ?? DateTimeOffset.UtcNow, ActiveSessionId: activeSessionId);
    }
}
