namespace IvsServerless.IvsEmulator;

/// <summary>Settings of one emulator instance (section <c>IvsEmulator</c> in configuration).</summary>
public sealed class EmulatorOptions
{
    /// <summary>The 12-digit account that owns every resource.</summary>
    public string AccountId { get; set; } = "123456789012";

    /// <summary>The region used when a request carries no SigV4 credential scope.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Requests larger than this get 413 before any JSON is read.</summary>
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a composition stays STARTING (or STOPPING) before it becomes ACTIVE (or STOPPED).</summary>
    public TimeSpan CompositionTransitionDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>IVS stops a composition this long after the last publisher leaves, or after a start with none.</summary>
    public TimeSpan CompositionIdleStop { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Stopped and failed compositions stay visible this long, then disappear.</summary>
    public TimeSpan StoppedCompositionRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often scheduled transitions are checked when no request arrives.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public void Validate()
    {
        if (AccountId.Length != 12 || !AccountId.All(char.IsAsciiDigit))
        {
            throw new InvalidOperationException($"IvsEmulator:AccountId must be 12 digits, got '{AccountId}'.");
        }

        if (string.IsNullOrWhiteSpace(Region) || !Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new InvalidOperationException($"IvsEmulator:Region must look like 'us-east-1', got '{Region}'.");
        }

        if (MaxRequestBodyBytes < 1024)
        {
            throw new InvalidOperationException("IvsEmulator:MaxRequestBodyBytes must be at least 1024.");
        }

        if (CompositionTransitionDelay < TimeSpan.Zero || CompositionIdleStop <= TimeSpan.Zero
            || StoppedCompositionRetention < TimeSpan.Zero || SchedulerInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("IvsEmulator time settings must be positive.");
        }
    }
}
