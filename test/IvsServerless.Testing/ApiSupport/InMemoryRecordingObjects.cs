using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IvsServerless.Core.Recordings;

namespace IvsServerless.Testing.ApiSupport;

/// <summary>
/// The recordings bucket in memory. Presigned URLs carry an expiry and an HMAC of key and expiry, checked against the clock as
/// S3 would, so tampered and expired signatures are rejected. <see cref="FailDeletesAfter"/> makes deletion fail part way.
/// </summary>
public sealed class InMemoryRecordingObjects(TimeProvider? time = null) : IRecordingObjects
{
    public const string Host = "https://recordings.s3.test/";

    private static readonly byte[] Secret = "in-memory-s3-secret"u8.ToArray();
    private readonly ConcurrentDictionary<string, string> _objects = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>After this many more objects are deleted, deletion throws (null: never).</summary>
    public int? FailDeletesAfter { get; set; }

    public IReadOnlyCollection<string> Keys => [.. _objects.Keys.Order(StringComparer.Ordinal)];

    public void Put(string key, string text) => _objects[key] = text;

    public Task<Uri> PresignGetAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var expires = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var path = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        return Task.FromResult(new Uri($"{Host}{path}?X-Test-Expires={expires}&X-Test-Signature={Sign(key, expires)}"));
    }

    public Task<SignedRead> ReadSignedAsync(
        string key, IReadOnlyDictionary<string, string> signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Count != 2
            || !signature.TryGetValue("X-Test-Expires", out var expires)
            || !signature.TryGetValue("X-Test-Signature", out var mac)
            || mac != Sign(key, expires)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || DateTimeOffset.FromUnixTimeSeconds(seconds) <= _time.GetUtcNow())
        {
            return Task.FromResult(new SignedRead(SignedReadStatus.Rejected));
        }

        return Task.FromResult(_objects.TryGetValue(key, out var text)
            ? new SignedRead(SignedReadStatus.Ok, text, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : new SignedRead(SignedReadStatus.NotFound));
    }

    public Task<IReadOnlyList<string>> ListKeysAsync(string prefix, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Take(max)]);

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var key in Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (FailDeletesAfter is { } left && deleted >= left)
            {
                throw new RecordingObjectsException($"The recordings bucket refused to delete {key} (AccessDenied).");
            }

            _objects.TryRemove(key, out _);
            deleted++;
        }

        return Task.FromResult(deleted);
    }

    private static string Sign(string key, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(key + "\n" + expires)));
}
