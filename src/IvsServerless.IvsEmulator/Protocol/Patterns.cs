using System.Text.RegularExpressions;

namespace IvsServerless.IvsEmulator.Protocol;

/// <summary>
/// Constraint patterns from the service model, anchored: AWS validates with whole-string matching
/// (see the wire reference §6), so an unanchored model pattern would accept anything.
/// </summary>
public static partial class Patterns
{
    public const string ResourceName = "[a-zA-Z0-9-_]*";

    [GeneratedRegex("^[a-zA-Z0-9_-]*$")]
    public static partial Regex Name();

    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$")]
    public static partial Regex StageArn();

    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:composition/[a-zA-Z0-9-]+$")]
    public static partial Regex CompositionArn();

    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:encoder-configuration/[a-zA-Z0-9-]+$")]
    public static partial Regex EncoderConfigurationArn();

    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$")]
    public static partial Regex StorageConfigurationArn();

    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:ingest-configuration/[a-zA-Z0-9-]+$")]
    public static partial Regex IngestConfigurationArn();

    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:public-key/[a-zA-Z0-9-]+$")]
    public static partial Regex PublicKeyArn();

    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+$")]
    public static partial Regex ChannelArn();

    /// <summary>The published ResourceArn pattern has a bug (<c>[a-z-]</c> is one character); this is the fixed one.</summary>
    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+$")]
    public static partial Regex ResourceArn();

    [GeneratedRegex("^st-[a-zA-Z0-9]+$")]
    public static partial Regex SessionId();

    [GeneratedRegex("^[a-zA-Z0-9-]*$")]
    public static partial Regex ParticipantId();

    [GeneratedRegex("^[a-zA-Z0-9+/=_-]*$")]
    public static partial Regex PaginationToken();

    [GeneratedRegex("^[a-z0-9-.]+$")]
    public static partial Regex BucketName();

    [
        GeneratedRegex(
        @"^.*-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n-----END PUBLIC KEY-----(\r?\n)?.*$", RegexOptions.Singleline)]
    public static partial Regex PublicKeyMaterial();
}

public static partial class Patterns
{
    [GeneratedRegex("^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$")]
    public static partial Regex OptionalStorageConfigurationArn();

    [GeneratedRegex("^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$")]
    public static partial Regex OptionalStageArn();
}
