using IvsServerless.Core.Compositions;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Sessions;

namespace IvsServerless.Core.Tests.Sessions;

/// <summary>A session's recordings: its participants' and the compositions whose S3 destination recorded in it.</summary>
public sealed class SessionRecordingsTests
{
    private const string StageId = "AbCdEf123456";
    private const string Storage = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/OurStorage01";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_composition_that_recorded_in_the_session_is_listed_with_its_destination_times_state_bucket_and_prefix()
    {
        var ended = Composition("Comp00000001", "st-One", Destination("STOPPED", started: 60, ended: 600));

        var recording = Assert.Single(SessionRecordings.Of(Session("st-One", 0, 700), [ended], Bucket, live: false));

        Assert.Equal(RecordingKind.Composition, recording.Kind);
        Assert.Equal("st-One~composition~Comp00000001", recording.RecordingId);
        Assert.Equal(("Comp00000001", null, "alice"), (recording.CompositionId, recording.ParticipantId, recording.UserId));
        Assert.Equal(RecordingState.Stopped, recording.State);
        Assert.Equal(("our-bucket", "AbCdEf123456/Comp00000001/Dest00000001/composite"), (recording.S3BucketName, recording.S3KeyPrefix));
        Assert.Equal((T0.AddSeconds(60), T0.AddSeconds(600), TimeSpan.FromSeconds(540)),
            (recording.StartedAt, recording.EndedAt, recording.Duration));
    }

    [Fact]
    public void Other_sessions_compositions_unreported_destinations_and_channel_only_compositions_are_not_listed()
    {
        var otherSession = Composition("Comp00000001", "st-Two", Destination("STOPPED", started: 60, ended: 600));
        var noEventYet = Composition("Comp00000002", "st-One", destination: null);
        var channelOnly = Composition("Comp00000003", "st-One", Destination("ACTIVE", started: 60)) with { Recording = null };

        Assert.Empty(SessionRecordings.Of(Session("st-One", 0, 700), [otherSession, noEventYet, channelOnly], Bucket, live: true));
    }

    [Theory]
    [InlineData("ACTIVE", 60, RecordingState.Active)]
    [InlineData("RECONNECTING", 60, RecordingState.Active)]
    [InlineData("STOPPED", 60, RecordingState.Stopped)]
    [InlineData("FAILED", 60, RecordingState.EndFailed)]
    [InlineData("FAILED", null, RecordingState.StartFailed)]
    public void The_destination_state_maps_to_the_recording_state(string destinationState, int? started, RecordingState expected)
    {
        var composition = Composition("Comp00000001", "st-One", Destination(destinationState, started));

        Assert.Equal(expected, Assert.Single(SessionRecordings.Of(Session("st-One", 0, 700), [composition], Bucket, live: false)).State);
    }

    [Fact]
    public void A_storage_configuration_of_unknown_bucket_lists_no_bucket()
    {
        var ours = Composition("Comp00000001", "st-One", Destination("STOPPED", 60, 600));
        var elsewhere = Storage.Replace("OurStorage01", "Elsewhere001", StringComparison.Ordinal);
        var composition = ours with { Recording = ours.Recording! with { StorageConfigurationArn = elsewhere } };

        var recording = Assert.Single(SessionRecordings.Of(Session("st-One", 0, 700), [composition], Bucket, live: false));

        Assert.Null(recording.S3BucketName);
        Assert.NotNull(recording.S3KeyPrefix);
    }

    [Fact]
    public void Without_a_known_session_at_start_a_composition_belongs_to_the_session_during_which_its_recording_started()
    {
        var unknown = Composition("Comp00000001", null, Destination("STOPPED", started: 100, ended: 900));

        Assert.Single(SessionRecordings.Of(Session("st-One", 0, 200), [unknown], Bucket, live: false));
        Assert.Empty(SessionRecordings.Of(Session("st-One", 0, 50), [unknown], Bucket, live: false));
        Assert.Single(SessionRecordings.Of(Session("st-One", 0, 50), [unknown], Bucket, live: true));
        Assert.Empty(SessionRecordings.Of(Session("st-Two", 1000, 2000), [unknown], Bucket, live: true));
    }

    [Fact]
    public void Participants_and_compositions_are_listed_together_newest_first()
    {
        var composition = Composition("Comp00000001", "st-One", Destination("ACTIVE", started: 30));
        var participant = new SessionParticipant(
            new ParticipantProjection(new ParticipantKey(StageId, "st-One", "Partcpnt0001"), T0, T0.AddSeconds(40),
                Recording: new Stamped<RecordingState>(RecordingState.Active, new EventStamp(T0.AddSeconds(10), 30, "e1"))),
            null, null, [new TimelineEntry(T0.AddSeconds(10), SessionRecordings.RecordingStart, "e1", null)]);
        var session = new SessionDetail(new SessionSummary(StageId, "st-One", T0, T0.AddSeconds(40)), [participant]);

        var recordings = SessionRecordings.Of(session, [composition], Bucket, live: true);

        Assert.Equal(["st-One~composition~Comp00000001", "st-One~Partcpnt0001"], recordings.Select(r => r.RecordingId));
        Assert.Equal([RecordingKind.Composition, RecordingKind.Participant], recordings.Select(r => r.Kind));
    }

    private static string? Bucket(string storageConfigurationArn) => storageConfigurationArn == Storage ? "our-bucket" : null;

    private static SessionDetail Session(string sessionId, int first, int last) =>
        new(new SessionSummary(StageId, sessionId, T0.AddSeconds(first), T0.AddSeconds(last)), []);

    private static CompositionDestination Destination(string state, int? started = null, int? ended = null) =>
        new("Dest00000001", state, null, started is { } s ? T0.AddSeconds(s) : null, ended is { } e ? T0.AddSeconds(e) : null);

    private static Composition Composition(string compositionId, string? sessionId, CompositionDestination? destination) =>
        new($"arn:aws:ivs:us-east-1:123456789012:composition/{compositionId}", StageId, "alice", "key-" + compositionId, "ACTIVE",
            T0.AddSeconds(5), Destinations: destination is null ? null : [destination],
            Recording: new CompositionRecordingTarget(
                "Dest00000001", Storage, $"{StageId}/{compositionId}/Dest00000001/composite", sessionId));
}
