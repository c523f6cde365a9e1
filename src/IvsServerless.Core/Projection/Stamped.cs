namespace IvsServerless.Core.Projection;

/// <summary>A field group's value together with the stamp of the event that set it.</summary>
public sealed record Stamped<T>(T Value, EventStamp Stamp);

public static class Stamped
{
    /// <summary>The one merge rule of the projection: the incoming value replaces the current one only when its
    /// stamp is strictly newer. Equal stamps are the same event delivered again, so nothing changes.</summary>
    public static Stamped<T> Newest<T>(Stamped<T>? current, Stamped<T> incoming) =>
        current is null || incoming.Stamp > current.Stamp ? incoming : current;

    public static Stamped<T> At<T>(this T value, EventStamp stamp) => new(value, stamp);
}
