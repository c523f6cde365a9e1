using System.Text.RegularExpressions;

namespace IvsServerless.Deployment.Settings;

/// <summary>
/// Individual participant recording (<see href="../../../docs/recordings.md">recordings</see>): the IVS storage configuration
/// stages record into, and the bucket the API reads playback from and deletes recordings in. Without a storage configuration
/// stages cannot record (asking for it is 503 <c>recordings-not-configured</c>); without a bucket the recordings list has no
/// playback URLs and deleting a recording is 503.
/// </summary>
public sealed partial record RecordingSettings
{
    public const int DefaultPlaybackUrlMinutes = 60;

    /// <summary>Presigned S3 URLs signed with a role's temporary credentials cannot outlive them (Lambda's last hours).</summary>
    public const int MaxPlaybackUrlMinutes = 720;

    /// <summary><c>RECORDING_STORAGE_CONFIGURATION_ARN</c>: an IVS storage configuration (its bucket is the recordings bucket).</summary>
    public string? StorageConfigurationArn { get; init; }

    /// <summary><c>RECORDINGS_BUCKET</c>: the storage configuration's S3 bucket (the API presigns, reads and deletes in it).</summary>
    public string? BucketName { get; init; }

    /// <summary><c>S3_ENDPOINT_URL</c>: a local S3-compatible server (path-style requests); unset in AWS.</summary>
    public Uri? S3EndpointUrl { get; init; }

    /// <summary><c>RECORDING_PLAYBACK_URL_MINUTES</c> (1 to 720, default 60): how long playback and thumbnail URLs work.</summary>
    public int? PlaybackUrlMinutes { get; init; }

    public TimeSpan PlaybackUrlLifetime => TimeSpan.FromMinutes(PlaybackUrlMinutes ?? DefaultPlaybackUrlMinutes);

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        ("RECORDING_STORAGE_CONFIGURATION_ARN", StorageConfigurationArn),
        ("RECORDINGS_BUCKET", BucketName),
        ("S3_ENDPOINT_URL", S3EndpointUrl),
        ("RECORDING_PLAYBACK_URL_MINUTES", PlaybackUrlMinutes));

    public static RecordingSettings Read(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var storage = environment.Text("RECORDING_STORAGE_CONFIGURATION_ARN");
        if (storage is not null && !StorageConfigurationArnPattern().IsMatch(storage))
        {
            environment.Fail("RECORDING_STORAGE_CONFIGURATION_ARN must be an IVS storage configuration ARN "
                + "(arn:aws:ivs:<region>:<account>:storage-configuration/<id>)");
            storage = null;
        }

        var bucket = environment.Text("RECORDINGS_BUCKET");
        if (bucket is not null && !IsBucketName(bucket))
        {
            environment.Fail("RECORDINGS_BUCKET must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, "
                + "starting and ending with a letter or digit, not an IP address)");
            bucket = null;
        }

        return new RecordingSettings
        {
            StorageConfigurationArn = storage,
            BucketName = bucket,
            S3EndpointUrl = environment.Url("S3_ENDPOINT_URL"),
            PlaybackUrlMinutes = environment.Number("RECORDING_PLAYBACK_URL_MINUTES", 1, MaxPlaybackUrlMinutes, "minutes"),
        };
    }

    /// <summary>The S3 general purpose bucket naming rules (no "..", not shaped like an IP address, no reserved prefix or
    /// suffix).</summary>
    public static bool IsBucketName(string name) =>
        BucketNamePattern().IsMatch(name ?? "")
            && !name!.Contains("..", StringComparison.Ordinal)
            && !IpAddressPattern().IsMatch(name)
            && !name.StartsWith("xn--", StringComparison.Ordinal)
            && !name.StartsWith("sthree-", StringComparison.Ordinal)
            && !name.EndsWith("-s3alias", StringComparison.Ordinal)
            && !name.EndsWith("--ol-s3", StringComparison.Ordinal);

    // The IVS model's AutoParticipantRecordingStorageConfigurationArn, without the empty string (unset is "off").
    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageConfigurationArnPattern();

    // Within the IVS model's S3BucketName ([a-z0-9-.]{3,63}), with S3's first and last character rules.
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketNamePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IpAddressPattern();
}
