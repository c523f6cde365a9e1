using System.Security.Cryptography;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>ImportPublicKey, GetPublicKey, DeletePublicKey, ListPublicKeys: the keys that verify self-signed
/// (ES384) participant tokens whose <c>kid</c> is the key's ARN.</summary>
public static class PublicKeyOperations
{
    public const int Quota = 3;

    /// <summary>secp384r1, the only curve ES384 tokens can be signed with.</summary>
    private const string P384Oid = "1.3.132.0.34";

    private const string MaterialPatternText =
        @".*-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n-----END PUBLIC KEY-----(\r?\n)?.*";

    public static void Register(OperationTable table)
    {
        table.Add("ImportPublicKey", ImportPublicKey);
        table.Add("GetPublicKey", GetPublicKey);
        table.Add("DeletePublicKey", DeletePublicKey);
        table.Add("ListPublicKeys", ListPublicKeys);
    }

    private static object ImportPublicKey(OperationContext context, RequestReader input)
    {
        var material = input.String(
            "publicKeyMaterial", required: true, pattern: Patterns.PublicKeyMaterial(), patternText: MaterialPatternText);
        var name = input.String("name", max: 128, pattern: Patterns.Name(), patternText: Patterns.ResourceName) ?? "";
        var tags = input.Tags();
        input.ThrowIfInvalid();

        var key = ParseP384(material!);
        try
        {
            var der = key.ExportSubjectPublicKeyInfo();
            var fingerprint = Fingerprint(der);
            var existing = context.State.PublicKeys.Values.FirstOrDefault(k => k.Fingerprint == fingerprint);
            if (existing is not null)
            {
                throw IvsException.Conflict($"This public key was already imported as {existing.Arn}.");
            }

            if (context.State.PublicKeys.Count >= Quota)
            {
                throw IvsException.QuotaExceeded($"Limit of {Quota} public keys per region exceeded.");
            }

            var record = new PublicKeyRecord
            {
                Arn = context.NewArn("public-key", ResourceIds.NewId()),
                Name = name,
                PublicKeyMaterial = material!,
                Fingerprint = fingerprint,
                Key = key,
                Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
            };
            context.State.PublicKeys.Add(record.Arn, record);
            context.State.Taggable.Add(record.Arn, record);
            return new { publicKey = ToPublicKey(record) };
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static object GetPublicKey(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();
        return new { publicKey = ToPublicKey(Find(context, arn!)) };
    }

    private static object DeletePublicKey(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();

        var record = Find(context, arn!);
        context.State.PublicKeys.Remove(record.Arn);
        context.State.Taggable.Remove(record.Arn);
        // Tokens are verified under the state lock, so nothing can be using the key any more.
        record.Key.Dispose();
        return EmptyResponse.Instance;
    }

    private static object ListPublicKeys(OperationContext context, RequestReader input)
    {
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 50);
        input.ThrowIfInvalid();

        var page = context.Pages.Paginate("ListPublicKeys", context.State.PublicKeys.Values, k => k.Arn, nextToken, maxResults);
        return new
        {
            publicKeys = page.Items.Select(k => new { arn = k.Arn, name = k.Name, tags = k.Tags }),
            nextToken = page.NextToken,
        };
    }

    public static object ToPublicKey(PublicKeyRecord record) => new
    {
        arn = record.Arn,
        name = record.Name,
        publicKeyMaterial = record.PublicKeyMaterial,
        fingerprint = record.Fingerprint,
        tags = record.Tags,
    };

    public static string? ReadArn(RequestReader input, string name) =>
        input.String(name, true, 1, 128, Patterns.PublicKeyArn());

    /// <summary>The public key with this ARN, or 404.</summary>
    public static PublicKeyRecord Find(OperationContext context, string arn) =>
        context.State.PublicKeys.TryGetValue(arn, out var record) ? record : throw IvsException.NotFound($"Public key {arn} not found");

    /// <summary>The SPKI block of the material as an ECDsa key, or 400 unless it is exactly one EC P-384 public key:
    /// a key on any other curve, or of another kind, could never verify an ES384 participant token.</summary>
    private static ECDsa ParseP384(string material)
    {
        var base64 = Patterns.PublicKeyMaterial().Match(material).Groups[1].Value;
        byte[] der;
        try
        {
            der = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw IvsException.Validation("publicKeyMaterial is not valid base64 PEM.");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length)
            {
                throw IvsException.Validation("publicKeyMaterial has trailing data after the public key.");
            }

            if (key.ExportParameters(false).Curve.Oid?.Value != P384Oid)
            {
                throw IvsException.Validation("publicKeyMaterial must be an ECDSA P-384 (secp384r1) public key for ES384 tokens.");
            }

            return key;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw IvsException.Validation(
                "publicKeyMaterial is not an EC public key (SubjectPublicKeyInfo); an ECDSA P-384 key is required.");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Colon-separated hex of the MD5 of the DER SubjectPublicKeyInfo: 16 bytes, the length observed on the
    /// real service. An identifier only, not a security check, so MD5 is fine here.</summary>
    private static string Fingerprint(byte[] der)
    {
#pragma warning disable CA5351 // A fingerprint for display and duplicate detection, not a security boundary.
        var hash = MD5.HashData(der);
#pragma warning restore CA5351
        return string.Join(':', hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
