namespace IvsServerless.Core.Recordings;

/// <summary>
/// The recordings bucket, as narrow as the API needs it: presign a GET, read a playlist through a presigned GET (so the
/// store, not this code, checks the caller's signature and expiry), list and delete the objects under a recording's prefix.
/// Keys are object keys of the one configured bucket; nothing here can reach another bucket.
/// </summary>
public interface IRecordingObjects
{
    /// <summary>A GET URL of <paramref name="key"/> that anyone holding it may use until <paramref name="expiresAt"/>.</summary>
    Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// The text of <paramref name="key"/> read through the presigned GET whose query parameters (<paramref name="signature"/>)
    /// a caller handed back: the store checks the signature and its expiry, so a tampered or expired one is
    /// <see cref="SignedReadStatus.Rejected"/>.
    /// </summary>
    Task<SignedRead> ReadSignedAsync(string key, IReadOnlyDictionary<string, string> signature, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="max"/> keys under <paramref name="prefix"/>, in key order.</summary>
    Task<IReadOnlyList<string>> ListKeysAsync(string prefix, int max, CancellationToken cancellationToken);

    /// <summary>Deletes every object under <paramref name="prefix"/>; returns how many. Throws
    /// <see cref="RecordingObjectsException"/> when the store refused any of them (the others may be gone).</summary>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken);
}

public enum SignedReadStatus
{
    Ok,

    /// <summary>The store refused the signature: tampered, expired, or signed for another object.</summary>
    Rejected,

    NotFound,
}

/// <param name="ExpiresAt">When the signature read with stops working (so URLs derived from it need not outlive it).</param>
public sealed record SignedRead(SignedReadStatus Status, string? Text = null, DateTimeOffset? ExpiresAt = null);

/// <summary>The recordings bucket failed or refused a call (other than a rejected signature or a missing object).</summary>
public sealed class RecordingObjectsException(string message, Exception? inner = null) : Exception(message, inner);
