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

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        ("RECORDING_STORAGE_CONFIGURATION_ARN", StorageConfigurationArn));

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

        return new RecordingSettings { StorageConfigurationArn = storage };
    }

    // The IVS model's AutoParticipantRecordingStorageConfigurationArn, without the empty string (unset is "off").
    [GeneratedRegex("^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageConfigurationArnPattern();
}
