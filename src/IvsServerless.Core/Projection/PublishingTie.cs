using IvsServerless.Core.Events;

namespace IvsServerless.Core.Projection;

/// <summary>
/// When the projection's publishing value cannot be trusted: EventBridge times are whole seconds, and for two opposite
/// publish events in one second the stamp rule (<see cref="Precedence"/>) guesses "unpublished last". A participant who
/// unpublishes and publishes again within a second would stay unpublished until the reconciler looks. The IVS API knows
/// the true order (its times are finer and equal times keep list order), so a contested value is looked up at once.
/// </summary>
public static class PublishingTie
{
    /// <summary>The publishing value <paramref name="e"/> claims, at its stamp; null for other events.</summary>
    public static Stamped<bool>? Claim(ParsedIvsEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.EventName switch
        {
            IvsEventName.ParticipantPublished => new Stamped<bool>(true, EventStamp.Of(e)),
            IvsEventName.ParticipantUnpublished => new Stamped<bool>(false, EventStamp.Of(e)),
            _ => null,
        };
    }

    /// <summary>
    /// Whether the claim that wins (the newest stamp) is contested: a claim of the opposite value carries a time in the
    /// same whole second. Claims of one participant only: what the store held before, and what the events brought.
    /// </summary>
    public static bool IsContested(IEnumerable<Stamped<bool>> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var all = claims.ToList();
        if (all.Count < 2)
        {
            return false;
        }

        var winner = all.MaxBy(c => c.Stamp)!;
        var second = WholeSecond(winner.Stamp.Time);
        return all.Any(c => c.Value != winner.Value && WholeSecond(c.Stamp.Time) == second);
    }

    private static long WholeSecond(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerSecond;
}
