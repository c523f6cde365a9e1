using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using IvsServerless.Core.TokenSigning;

namespace IvsServerless.Infrastructure.TokenSigning;

/// <summary>Where the signing key is kept: one SSM SecureString parameter encrypted under a customer KMS key.</summary>
public sealed class SsmTokenSigningKeyOptions
{
    /// <summary>The parameter name (environment <c>TOKEN_SIGNING_KEY_PARAMETER</c>), e.g.
    /// <c>/ivs-serverless/prod/token-signing-key</c>.</summary>
    public required string ParameterName { get; init; }

    /// <summary>The KMS key that encrypts the SecureString (environment <c>TOKEN_SIGNING_KMS_KEY_ID</c>); only writers need it.</summary>
    public string? KmsKeyId { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ParameterName) || ParameterName.Length > 2048)
        {
            throw new InvalidOperationException("The token signing key parameter name must be 1..2048 characters.");
        }
    }
}

/// <summary>
/// The signing key as an SSM SecureString: a small JSON document (public key ARN, base64 PKCS#8 private key,
/// activation time) that SSM encrypts with the KMS key. Reads decrypt (<c>WithDecryption</c>); the value never leaves
/// this class except as a <see cref="TokenSigningKey"/>, and no error message carries it.
/// </summary>
public sealed class SsmTokenSigningKeyStore(IAmazonSimpleSystemsManagement ssm, SsmTokenSigningKeyOptions options) : ITokenSigningKeyStore
{
    public async Task<TokenSigningKey?> GetAsync(CancellationToken cancellationToken)
    {
        GetParameterResponse response;
        try
        {
            response = await ssm.GetParameterAsync(
                new GetParameterRequest { Name = options.ParameterName, WithDecryption = true }, cancellationToken);
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }

        return Parse(response.Parameter?.Value);
    }

    public async Task PutAsync(TokenSigningKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrWhiteSpace(options.KmsKeyId))
        {
            throw new InvalidOperationException("Storing a token signing key needs the KMS key id (TOKEN_SIGNING_KMS_KEY_ID).");
        }

        var document = new StoredKeyDocument(key.KeyArn, Convert.ToBase64String(key.Pkcs8PrivateKey), key.ActivatedAt);
        await ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = options.ParameterName,
            Description = "IVS participant-token signing key (managed by the key rotation function)",
            Type = ParameterType.SecureString,
            KeyId = options.KmsKeyId,
            Value = JsonSerializer.Serialize(document, TokenSigningJsonContext.Default.StoredKeyDocument),
            Overwrite = true,
            Tier = ParameterTier.Standard,
        }, cancellationToken);
    }

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = options.ParameterName }, cancellationToken);
        }
        catch (ParameterNotFoundException)
        {
            // Already gone: the goal is reached.
        }
    }

    private TokenSigningKey Parse(string? value)
    {
        try
        {
            var document = value is null ? null : JsonSerializer.Deserialize(value, TokenSigningJsonContext.Default.StoredKeyDocument);
            if (document is { KeyArn.Length: > 0, PrivateKey.Length: > 0 })
            {
                return new TokenSigningKey(document.KeyArn, Convert.FromBase64String(document.PrivateKey), document.ActivatedAt);
            }
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            // Fall through: the exception text could quote the value.
        }

        throw new InvalidDataException($"The parameter {options.ParameterName} does not hold a token signing key document.");
    }
}

internal sealed record StoredKeyDocument(
    [property: JsonPropertyName("keyArn")] string KeyArn,
    [property: JsonPropertyName("privateKey")] string PrivateKey,
    [property: JsonPropertyName("activatedAt")] DateTimeOffset ActivatedAt);

[JsonSerializable(typeof(StoredKeyDocument))]
internal sealed partial class TokenSigningJsonContext : JsonSerializerContext;
