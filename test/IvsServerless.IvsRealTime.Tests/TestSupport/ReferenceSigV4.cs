using System.Security.Cryptography;
using System.Text;

namespace IvsServerless.IvsRealTime.Tests;

/// <summary>
/// A from-the-spec SigV4 (canonical request → string to sign → signature). It is checked against every .sts and
/// .authz of AWS's suite, and then serves as the oracle for requests the suite does not cover.
/// </summary>
internal static class ReferenceSigV4
{
    public static string StringToSign(string canonicalRequest, string amzDate, string region, string service) =>
        $"AWS4-HMAC-SHA256\n{amzDate}\n{amzDate[..8]}/{region}/{service}/aws4_request\n{Sha256Hex(canonicalRequest)}";

    public static string Authorization(
        string canonicalRequest, string amzDate, string region, string service,
        string accessKey = TestClients.AccessKey, string secretKey = TestClients.SecretKey)
    {
        var date = amzDate[..8];
        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Convert.ToHexStringLower(
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(StringToSign(canonicalRequest, amzDate, region, service))));
        var signedHeaders = canonicalRequest.Split('\n')[^2];
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{date}/{region}/{service}/aws4_request, SignedHeaders={signedHeaders}, Signature="
            + $"{signature}";
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The canonical request with an x-amz-content-sha256 header (the payload hash, already its last line) signed
    /// too: AWSSDK.Core always signs that header, the suite's vectors never do. Nothing else changes.
    /// </summary>
    public static string WithPayloadHashHeader(string canonicalRequest)
    {
        var lines = canonicalRequest.Split('\n');
        var payloadHash = lines[^1];
        var blank = Array.IndexOf(lines, "", 3);
        var headers = lines[3..blank].Append("x-amz-content-sha256:" + payloadHash)
            .OrderBy(line => line[..line.IndexOf(':', StringComparison.Ordinal)], StringComparer.Ordinal);
        var signed = lines[blank + 1].Split(';').Append("x-amz-content-sha256").Order(StringComparer.Ordinal);
        return string.Join('\n', lines[..3].Concat(headers).Append("").Append(string.Join(';', signed)).Append(payloadHash));
    }
}
