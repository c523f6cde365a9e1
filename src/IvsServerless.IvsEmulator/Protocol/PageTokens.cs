using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace IvsServerless.IvsEmulator.Protocol;

/// <summary>
/// Opaque, tamper-safe pagination tokens: the last key served, bound to the operation, with an
/// HMAC under a key that lives only in this emulator instance. A token edited by a client, or
/// replayed against another operation, is a ValidationException — as the real service answers.
/// </summary>
public sealed class PageTokens
{
    private const int MacBytes = 16;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public Page<T> Paginate<T>(string operation, IEnumerable<T> items, Func<T, string> keyOf, string? nextToken, int maxResults)
    {
        var ordered = items.OrderBy(keyOf, StringComparer.Ordinal);
        var after = nextToken is null ? null : Decode(operation, nextToken);
        var remaining = after is null
            ? ordered
            : ordered.Where(item => string.CompareOrdinal(keyOf(item), after) > 0);

        var page = remaining.Take(maxResults + 1).ToList();
        if (page.Count <= maxResults)
        {
            return new Page<T>(page, null);
        }

        page.RemoveAt(page.Count - 1);
        return new Page<T>(page, Encode(operation, keyOf(page[^1])));
    }

    private string Encode(string operation, string lastKey)
    {
        var payload = Encoding.UTF8.GetBytes(lastKey);
        var mac = Mac(operation, payload);
        return Base64Url.EncodeToString([.. mac, .. payload]);
    }

    private string Decode(string operation, string token)
    {
        byte[] raw;
        try
        {
            raw = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            throw InvalidToken();
        }

        if (raw.Length < MacBytes)
        {
            throw InvalidToken();
        }

        var payload = raw.AsSpan(MacBytes).ToArray();
        if (!CryptographicOperations.FixedTimeEquals(raw.AsSpan(0, MacBytes), Mac(operation, payload)))
        {
            throw InvalidToken();
        }

        return Encoding.UTF8.GetString(payload);
    }

    private byte[] Mac(string operation, byte[] payload)
    {
        var input = Encoding.UTF8.GetBytes(operation + "\n").Concat(payload).ToArray();
        return HMACSHA256.HashData(_key, input).AsSpan(0, MacBytes).ToArray();
    }

    private static IvsException InvalidToken() => IvsException.Validation("The pagination token is invalid or expired.");
}

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);
