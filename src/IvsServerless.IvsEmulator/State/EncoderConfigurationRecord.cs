namespace IvsServerless.IvsEmulator.State;

public sealed partial class EmulatorState
{
    public Dictionary<string, EncoderConfigurationRecord> EncoderConfigurations { get; } = new(StringComparer.Ordinal);
}

public sealed class EncoderConfigurationRecord : ITaggable
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public required VideoConfiguration Video { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>The wire shape <c>Video</c>; <c>framerate</c> is a float on the wire.</summary>
public sealed record VideoConfiguration(int Width, int Height, double Framerate, int Bitrate)
{
    /// <summary>The documented defaults: 1280x720, 30 fps, 2.5 Mbps.</summary>
    public static VideoConfiguration Default { get; } = new(1280, 720, 30, 2_500_000);
}
