using System.Security.Cryptography;

namespace IvsServerless.IvsEmulator.State;

public sealed partial class EmulatorState
{
    /// <summary>Imported public keys by ARN (the ARN is the <c>kid</c> of a self-signed token).</summary>
    public Dictionary<string, PublicKeyRecord> PublicKeys { get; } = new(StringComparer.Ordinal);
}

public sealed class PublicKeyRecord : ITaggable
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required string PublicKeyMaterial { get; init; }
    public required string Fingerprint { get; init; }

    /// <summary>The parsed key that verifies ES384 signatures of self-signed participant tokens.</summary>
    public required ECDsa Key { get; init; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}
