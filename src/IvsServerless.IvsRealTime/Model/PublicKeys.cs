namespace IvsServerless.IvsRealTime;

public sealed record ImportPublicKeyRequest
{
    /// <summary>SPKI PEM ("-----BEGIN PUBLIC KEY-----"), e.g. an ECDSA P-384 key for ES384 participant tokens.</summary>
    public required string PublicKeyMaterial { get; init; }

    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record ImportPublicKeyResponse
{
    public PublicKey? PublicKey { get; init; }
}

public sealed record DeletePublicKeyRequest
{
    public required string Arn { get; init; }
}

public sealed record DeletePublicKeyResponse;

public sealed record ListPublicKeysRequest
{
    public string? NextToken { get; init; }
    public int? MaxResults { get; init; }
}

public sealed record ListPublicKeysResponse
{
    public IReadOnlyList<PublicKeySummary> PublicKeys { get => field ?? []; init; }
    public string? NextToken { get; init; }
}

public sealed record PublicKey
{
    public string? Arn { get; init; }
    public string? Name { get; init; }
    public string? PublicKeyMaterial { get; init; }
    public string? Fingerprint { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record PublicKeySummary
{
    public string? Arn { get; init; }
    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
