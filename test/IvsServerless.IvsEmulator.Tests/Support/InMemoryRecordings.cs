using System.Collections.Concurrent;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Recording;

namespace IvsServerless.IvsEmulator.Tests.Support;

/// <summary>
/// An S3 stand-in for the emulator's recording writer: the buckets that exist, the objects written, and how many recording
/// events had been emitted when each object was written (to prove the objects come before the event announcing them).
/// </summary>
public sealed class InMemoryRecordings(ChannelEventSink events) : IRecordingWriter
{
    public ConcurrentDictionary<string, byte> Buckets { get; } = new(
        [new("ivs-recordings", 0), new("my-recordings", 0), new("my-bucket", 0)], StringComparer.Ordinal);

    public ConcurrentDictionary<(string Bucket, string Key), Written> Objects { get; } = new();

    /// <summary>While set, every write waits for it: a slow bucket.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Object keys the bucket refuses (access denied), failing their write.</summary>
    public Func<string, bool> Refuses { get; set; } = _ => false;

    public async Task WriteAsync(string bucket, IReadOnlyList<RecordingObject> objects, CancellationToken cancellationToken)
    {
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (!Buckets.ContainsKey(bucket))
        {
            throw new RecordingWriteException($"NoSuchBucket: {bucket}");
        }

        if (objects.FirstOrDefault(o => Refuses(o.Key)) is { } refused)
        {
            throw new RecordingWriteException($"AccessDenied: {refused.Key}");
        }

        var recordingEvents = events.Recent().Where(e => e.DetailType == IvsEvent.ParticipantRecordingStateChange).ToList();
        foreach (var item in objects)
        {
            var before = recordingEvents
                .Where(e => item.Key.StartsWith(e.Detail["recording_s3_key_prefix"]!.GetValue<string>() + "/", StringComparison.Ordinal))
                .Select(e => e.EventName!).ToList();
            Objects[(bucket, item.Key)] = new Written(item.Body.ToArray(), item.ContentType, before);
        }
    }

    /// <summary>The keys under <paramref name="prefix"/>, relative to it, sorted.</summary>
    public List<string> Under(string bucket, string prefix) =>
        Objects.Keys.Where(k => k.Bucket == bucket && k.Key.StartsWith(prefix + "/", StringComparison.Ordinal))
            .Select(k => k.Key[(prefix.Length + 1)..]).Order(StringComparer.Ordinal).ToList();

    public string Text(string bucket, string key) => System.Text.Encoding.UTF8.GetString(Objects[(bucket, key)].Body);

    /// <param name="RecordingEventsBefore">The recording events of this object's recording emitted before it was written.</param>
    public sealed record Written(byte[] Body, string ContentType, IReadOnlyList<string> RecordingEventsBefore);
}
