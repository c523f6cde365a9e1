namespace IvsServerless.IvsEmulator.Recording;

/// <summary>One object IVS writes under a recording's prefix.</summary>
public sealed record RecordingObject(string Key, ReadOnlyMemory<byte> Body, string ContentType);

/// <summary>
/// Where the emulator writes what IVS writes for a recording (an S3 bucket). Called under the emulator's state lock, so
/// the objects are there before the event that announces them is emitted; keep it quick (a local server).
/// </summary>
public interface IRecordingWriter
{
    /// <summary>Writes every object into <paramref name="bucket"/>, in order.</summary>
    /// <exception cref="RecordingWriteException">The bucket does not exist or refused a write: IVS then reports a recording
    /// failure.</exception>
    void Write(string bucket, IReadOnlyList<RecordingObject> objects);
}

/// <summary>A write IVS would have failed (no such bucket, access denied, unreachable).</summary>
public sealed class RecordingWriteException(string message, Exception? inner = null) : Exception(message, inner);
