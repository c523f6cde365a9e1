using System.Security.Cryptography;

namespace IvsServerless.IvsEmulator.State;

/// <summary>Identifiers in the formats the real service uses (wire reference §5).</summary>
public static class ResourceIds
{
    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Hex = "0123456789abcdef";

    /// <summary>12 alphanumerics: stages, compositions, configurations, keys, participants, destinations.</summary>
    public static string NewId() => RandomNumberGenerator.GetString(Alphanumerics, 12);

    /// <summary>Random alphanumerics of any length (secrets such as the tail of a stream key).</summary>
    public static string NewAlphanumerics(int length) => RandomNumberGenerator.GetString(Alphanumerics, length);

    /// <summary><c>st-</c> + 13 alphanumerics.</summary>
    public static string NewSessionId() => "st-" + RandomNumberGenerator.GetString(Alphanumerics, 13);

    public static string NewHex(int length) => RandomNumberGenerator.GetString(Hex, length);

    public static string Arn(string region, string account, string resourceType, string id) =>
        $"arn:aws:ivs:{region}:{account}:{resourceType}/{id}";

    /// <summary>The id of an ARN: the part after the last '/'.</summary>
    public static string IdOf(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    /// <summary>The region field of an ARN.</summary>
    public static string RegionOf(string arn) => arn.Split(':')[3];
}
