using System.Globalization;
using IvsServerless.Core.Events;

namespace IvsServerless.Core.Projection;

/// <summary>
/// The total order the projection uses to decide which event "last set" a field group:
/// event time, then <see cref="Rank"/> (lifecycle precedence of the event name, for events in the same second),
/// then the event id compared by UTF-8 bytes. Every event has a distinct stamp unless it is a duplicate delivery.
/// </summary>
public readonly record struct EventStamp(DateTimeOffset Time, int Rank, string EventId) : IComparable<EventStamp>
{
    public static EventStamp Of(ParsedIvsEvent e) => new(e.EventTime.ToUniversalTime(), Precedence.Rank(e.EventName), e.Id);

    /// <summary>Older than every event: the stamp of a value that no event set (e.g. a user id learnt from a presence check).</summary>
    public static EventStamp Lowest { get; } = new(DateTimeOffset.MinValue, 0, "");

    private const string SortKeyTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>The inverse of <see cref="ToSortKey"/>, for stores that keep stamps as strings.</summary>
    public static bool TryParseSortKey(string? text, out EventStamp stamp)
    {
        stamp = default;
        var first = text?.IndexOf('#', StringComparison.Ordinal) ?? -1;
        var second = first < 0 ? -1 : text!.IndexOf('#', first + 1);
        if (second < 0
            || !DateTimeOffset.TryParseExact(text![..first], SortKeyTimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            || !int.TryParse(text.AsSpan(first + 1, second - first - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var rank))
        {
            return false;
        }

        stamp = new EventStamp(time, rank, text[(second + 1)..]);
        return true;
    }

    public int CompareTo(EventStamp other)
    {
        var byTime = Time.UtcTicks.CompareTo(other.Time.UtcTicks);
        if (byTime != 0)
        {
            return byTime;
        }

        var byRank = Rank.CompareTo(other.Rank);
        return byRank != 0 ? byRank : CompareUtf8(EventId, other.EventId);
    }

    public bool IsNewerThan(EventStamp? other) => other is null || CompareTo(other.Value) > 0;

    /// <summary>
    /// One string whose byte order is exactly <see cref="CompareTo"/>: fixed-width UTC time with 7 fractional digits,
    /// 2-digit rank, event id. A DynamoDB condition <c>attribute_not_exists(s) OR s &lt; :stamp</c> on it is this rule.
    /// </summary>
    public string ToSortKey() =>
        string.Create(CultureInfo.InvariantCulture, $"{Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}#{Rank:D2}#{EventId}");

    public static bool operator <(EventStamp left, EventStamp right) => left.CompareTo(right) < 0;
    public static bool operator >(EventStamp left, EventStamp right) => left.CompareTo(right) > 0;
    public static bool operator <=(EventStamp left, EventStamp right) => left.CompareTo(right) <= 0;
    public static bool operator >=(EventStamp left, EventStamp right) => left.CompareTo(right) >= 0;

    // DynamoDB compares strings by UTF-8 bytes, which is code-point order; string.CompareOrdinal (UTF-16 units)
    // differs for characters beyond U+FFFF, so compare runes to stay identical to the conditional write.
    private static int CompareUtf8(string left, string right)
    {
        var a = left.EnumerateRunes();
        var b = right.EnumerateRunes();
        while (true)
        {
            var hasA = a.MoveNext();
            var hasB = b.MoveNext();
            if (!hasA || !hasB)
            {
                return hasA.CompareTo(hasB);
            }

            var c = a.Current.Value.CompareTo(b.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }
}
