namespace IvsServerless.Core.Paging;

/// <summary>A page request: an opaque cursor from the previous page (null = first page) and a size.</summary>
public sealed record PageRequest(string? Cursor, int Limit)
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 25;
}

/// <summary>One page of results; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A cursor that was not issued by this service, or was altered.</summary>
public sealed class InvalidCursorException(string message) : Exception(message);
