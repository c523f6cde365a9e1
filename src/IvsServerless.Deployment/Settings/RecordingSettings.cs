using System.Text.RegularExpressions;

namespace IvsServerless.Deployment.Settings;

/// <summary>
/// Individual participant recording (<see href="../../../docs/recordings.md">recordings</see>): the IVS storage configuration
/// stages record into. Unset: stages cannot record (asking for it is 503 <c>recordings-not-configured</c>).
/// </summary>
public sealed partial record RecordingSettings
{
    /// <summary><c>RECORDING_STORAGE_CONFIGURATION_ARN</c>: an IVS storage configuration (its bucket is the recordings bucket).</summary>
    public string? StorageConfigurationArn { get; init; }

    /// <summary><c>RECORDINGS_BUCKET</c>: the S3 bucket of that storage configuration, which the API reads (playback) and deletes
    /// in.</summary>
    public string? BucketName { get; init; }

    /// <summary><c>S3_ENDPOINT_URL</c>: an S3-compatible endpoint instead of AWS (the local host's S3 server, path-style); unset in
    /// AWS.</summary>
    public Uri? S3Endpoint { get; init; }

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        ("RECORDING_STORAGE_CONFIGURATION_ARN", StorageConfigurationArn),
        ("RECORDINGS_BUCKET", BucketName),
        ("S3_ENDPOINT_URL", S3Endpoint));

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
            S3Endpoint = environment.Url("S3_ENDPOINT_URL"),
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

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketNamePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IpAddressPattern();
}
