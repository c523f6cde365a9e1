namespace IvsServerless.IvsEmulator.Recording;

/// <summary>One object IVS writes under a recording's prefix.</summary>
public sealed record RecordingObject(string Key, ReadOnlyMemory<byte> Body, string ContentType);

/// <summary>
/// Where the emulator writes what IVS writes for a recording (an S3 bucket). Called by <see cref="RecordingQueue"/> from its
/// own task, never under the emulator's state lock: a slow or unreachable bucket delays the recording's events, nothing else.
/// </summary>
public interface IRecordingWriter
{
    /// <summary>Writes every object into <paramref name="bucket"/>, in order.</summary>
    /// <exception cref="RecordingWriteException">The bucket does not exist or refused a write: IVS then reports a recording
    /// failure.</exception>
    Task WriteAsync(string bucket, IReadOnlyList<RecordingObject> objects, CancellationToken cancellationToken);
}

/// <summary>A write IVS would have failed (no such bucket, access denied, unreachable).</summary>
public sealed class RecordingWriteException(string message, Exception? inner = null) : Exception(message, inner);
