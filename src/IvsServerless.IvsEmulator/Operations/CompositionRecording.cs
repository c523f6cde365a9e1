using IvsServerless.IvsEmulator.Recording;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>
/// Composite recording: an S3 destination writes what IVS writes under its <c>recordingPrefix</c> (the layout of
/// <see cref="RecordingLayout"/>, metadata naming <c>stage_arn</c>, <c>composition_arn</c> and <c>destination_id</c>), through
/// the same ordered queue as participant recordings. Writing starts once the destination is ACTIVE (Destination Start is
/// emitted then, as IVS writes segments after it); Destination End — and Session End after it — wait until the media,
/// thumbnails and <c>events/recording-ended.json</c> are written. A write the bucket refuses is Destination Failure.
/// </summary>
public static partial class CompositionOperations
{
    private const string WriteFailureReason = "The recording could not be written to the S3 bucket.";

    /// <summary>An ACTIVE S3 destination starts its recording: <c>events/recording-started.json</c>.</summary>
    private static void StartRecording(OperationContext context, CompositionRecord composition, DestinationRecord destination)
    {
        if (Plan(context, composition, destination) is not (var bucket, var plan))
        {
            return;
        }

        Enqueue(context, bucket, plan.Prefix, RecordingLayout.Started(plan), (done, outcome) =>
        {
            if (outcome == RecordingWriteOutcome.Failed)
            {
                FailDestination(done, composition, destination);
            }
        });
    }

    /// <summary>
    /// A started destination ends: an S3 one after its objects are written (Destination End, or Destination Failure when
    /// refused; nothing more if its recording already failed), any other at once — in queue order either way.
    /// </summary>
    private static void EndDestination(OperationContext context, CompositionRecord composition, DestinationRecord destination)
    {
        if (Plan(context, composition, destination) is (var bucket, var plan))
        {
            Enqueue(context, bucket, plan.Prefix, RecordingLayout.Ended(plan, context.Now), (done, outcome) =>
            {
                switch (outcome)
                {
                    case RecordingWriteOutcome.Written:
                        Emit(done, composition, "Destination End", destination);
                        break;
                    case RecordingWriteOutcome.Failed:
                        FailDestination(done, composition, destination);
                        break;
                }
            });
            return;
        }

        Announce(context, composition.Arn, done => Emit(done, composition, "Destination End", destination));
    }

    /// <summary>The composition failed: each S3 destination that was recording writes <c>events/recording-failed.json</c>
    /// (best effort, as IVS reports the failure either way).</summary>
    private static void FailRecordings(OperationContext context, CompositionRecord composition)
    {
        foreach (var destination in composition.Destinations.Where(d => d.StartTime is not null))
        {
            if (Plan(context, composition, destination) is (var bucket, var plan))
            {
                Enqueue(context, bucket, plan.Prefix, [RecordingLayout.Failed(plan, context.Now)], (_, _) => { });
            }
        }
    }

    /// <summary>An event emitted after whatever is queued before it (at once without a queue).</summary>
    private static void Announce(OperationContext context, string key, Action<OperationContext> emit) =>
        Enqueue(context, "", key, [], (done, outcome) =>
        {
            if (outcome == RecordingWriteOutcome.Written)
            {
                emit(done);
            }
        });

    private static void Enqueue(OperationContext context, string bucket, string recording, IReadOnlyList<RecordingObject> objects,
        Action<OperationContext, RecordingWriteOutcome> complete)
    {
        if (context.Recordings is { } queue)
        {
            queue.Enqueue(new RecordingJob($"{bucket}/{recording}", bucket, objects, context.Now, context.Region, complete));
        }
        else
        {
            complete(context, RecordingWriteOutcome.Written);
        }
    }

    private static void FailDestination(OperationContext context, CompositionRecord composition, DestinationRecord destination)
    {
        destination.State = CompositionStates.Failed;
        destination.EndTime ??= context.Now;
        Emit(context, composition, "Destination Failure", destination, WriteFailureReason);
    }

    /// <summary>What an S3 destination writes, and where; null for a channel destination or a storage configuration that
    /// is gone.</summary>
    private static (string Bucket, RecordingPlan Plan)? Plan(
        OperationContext context, CompositionRecord composition, DestinationRecord destination)
    {
        if (destination.Configuration.S3 is not { } s3 || destination.Detail is not { } detail
            || !context.State.StorageConfigurations.TryGetValue(s3.StorageConfigurationArn, out var storage))
        {
            return null;
        }

        var thumbnails = s3.ThumbnailConfigurations is [var first, ..] ? first : null;
        return (storage.BucketName, new RecordingPlan(
            detail.S3.RecordingPrefix,
            [new("stage_arn", composition.StageArn), new("composition_arn", composition.Arn), new("destination_id", destination.Id)],
            destination.StartTime ?? context.Now,
            "AUDIO_VIDEO",
            s3.RecordingConfiguration.HlsConfiguration.TargetSegmentDurationSeconds,
            thumbnails is null ? "DISABLED" : "INTERVAL",
            thumbnails?.TargetIntervalSeconds ?? 60,
            thumbnails?.Storage ?? []));
    }
}
