namespace IvsServerless.Deployment.Settings;

/// <summary>
/// Where compositions go: the encoder configuration and at least one destination (S3 recording through a storage
/// configuration, an IVS channel, or both), or none of them (compositions are then refused).
/// </summary>
public sealed record CompositionSettings
{
    /// <summary><c>COMPOSITION_STORAGE_CONFIGURATION_ARN</c>.</summary>
    public string? StorageConfigurationArn { get; init; }

    /// <summary><c>COMPOSITION_ENCODER_CONFIGURATION_ARN</c>.</summary>
    public string? EncoderConfigurationArn { get; init; }

    /// <summary><c>COMPOSITION_CHANNEL_ARN</c>: an IVS channel compositions broadcast to (with or instead of S3 recording).</summary>
    public string? ChannelArn { get; init; }

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        ("COMPOSITION_STORAGE_CONFIGURATION_ARN", StorageConfigurationArn),
        ("COMPOSITION_CHANNEL_ARN", ChannelArn),
        ("COMPOSITION_ENCODER_CONFIGURATION_ARN", EncoderConfigurationArn));

    public static CompositionSettings Read(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new CompositionSettings
        {
            StorageConfigurationArn = environment.Text("COMPOSITION_STORAGE_CONFIGURATION_ARN"),
            EncoderConfigurationArn = environment.Text("COMPOSITION_ENCODER_CONFIGURATION_ARN"),
            ChannelArn = environment.Text("COMPOSITION_CHANNEL_ARN"),
        };
        var hasDestination = settings.StorageConfigurationArn is not null || settings.ChannelArn is not null;
        if (hasDestination != (settings.EncoderConfigurationArn is not null))
        {
            environment.Fail(
                "COMPOSITION_ENCODER_CONFIGURATION_ARN goes with COMPOSITION_STORAGE_CONFIGURATION_ARN and/or COMPOSITION_CHANNEL_ARN");
        }

        return settings;
    }
}
