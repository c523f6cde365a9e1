namespace IvsServerless.Core.Ivs;

/// <summary>The public keys IVS verifies self-signed participant tokens with (the signing-key rotation).</summary>
public interface IPublicKeyRegistry
{
    /// <summary>Imports a PEM public key with a name and tags; returns its ARN.</summary>
    Task<string> ImportPublicKeyAsync(
        string name, string publicKeyPem, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Every public key of the account and region (all pages), whichever deployment imported it.</summary>
    Task<IReadOnlyList<RegisteredPublicKey>> ListPublicKeysAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the key; one already gone is success too. False when it was gone.</summary>
    Task<bool> DeletePublicKeyIfExistsAsync(string keyArn, CancellationToken cancellationToken);
}

/// <summary>An imported public key: its ARN ("" if IVS sent none) and tags.</summary>
public sealed record RegisteredPublicKey(string Arn, IReadOnlyDictionary<string, string> Tags);
