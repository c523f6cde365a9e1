using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Tests.Events;

namespace IvsServerless.Core.Tests.Projection;

/// <summary>The projection rules, one story each, built from the captured samples.</summary>
public sealed class ProjectorTests
{
    [Fact]
    public void Unpublished_wins_over_Published_in_the_same_second_whichever_arrives_first()
    {
        var published = Event("stage-update/participant-published.json", at: 10, id: "ffff");
        var unpublished = Event("stage-update/participant-unpublished.json", at: 10, id: "0000");

        var a = Project(published, unpublished);
        var b = Project(unpublished, published);

        Assert.Equal(a, b);
        Assert.False(Participant(a).Publishing!.Value);
    }

    [Fact]
    public void A_late_Published_does_not_undo_a_newer_Unpublished_and_a_duplicate_changes_nothing()
    {
        var published = Event("stage-update/participant-published.json", at: 10);
        var unpublished = Event("stage-update/participant-unpublished.json", at: 20);

        var state = Project(unpublished, published, unpublished);

        var participant = Participant(state);
        Assert.False(participant.Publishing!.Value);
        Assert.Equal(unpublished.Id, participant.Publishing.Stamp.EventId);
        Assert.Equal(Time(10), participant.FirstSeen);
        Assert.Equal(Time(20), participant.LastSeen);
        Assert.Equal(state, Projector.Apply(state, unpublished));
    }

    [Fact]
    public void A_publish_error_is_recorded_without_changing_the_publishing_state()
    {
        var state = Project(
            Event("stage-update/participant-published.json", at: 10),
            Event("stage-update/participant-publish-error.json", at: 11));

        var participant = Participant(state);
        Assert.True(participant.Publishing!.Value);
        Assert.Equal("BITRATE_EXCEEDED", participant.LastPublishError!.Value);
        Assert.Equal("alice", participant.UserId!.Value);
    }

    [Fact]
    public void A_recording_failure_without_a_location_keeps_the_location_a_start_reported()
    {
        var start = Event("participant-recording-state-change/recording-start.json", at: 10);
        var failure = Event("participant-recording-state-change/recording-end-failure.json", at: 20,
            edit: d =>
                {
                    d["recording_s3_bucket_name"] = ""; d["recording_s3_key_prefix"] = ""; d["participant_id"] = (
                    (ParticipantRecordingDetail)start.Detail).ParticipantId;
                });

        var participant = Project(failure, start).Participants[Projector.ParticipantKeyOf(start)];

        Assert.Equal(RecordingState.EndFailed, participant.Recording!.Value);
        Assert.Equal(RecordingState.EndFailed, participant.LastRecordingFailure!.Value);
        Assert.Equal(Time(20), participant.LastRecordingFailure.Stamp.Time);
        Assert.Equal("ivs-recordings", participant.RecordingLocation!.Value.S3BucketName);
    }

    [Fact]
    public void An_unknown_event_name_only_moves_last_seen_and_the_user_id()
    {
        var state = Project(
            Event("stage-update/participant-published.json", at: 10),
            Event("edge/unknown-event-name.json", at: 30));

        var participant = Participant(state);
        Assert.Equal(Time(30), participant.LastSeen);
        Assert.True(participant.Publishing!.Value);
        Assert.Equal(Time(30), state.Sessions.Values.Single().LastActivity);
    }

    [Fact]
    public void Compositions_and_destinations_keep_their_own_state_and_failure_reason()
    {
        var start = Event("composition-state-change/session-start.json", at: 10);
        var destinationStart = Event("composition-state-change/destination-start.json", at: 10);
        var destinationFailure = Event("edge/destination-failure.json", at: 20);
        var failure = Event("composition-state-change/session-failure.json", at: 30, resource: start.ResourceArn);

        var state = Project(failure, destinationFailure, start, destinationStart);

        var composition = state.Compositions[start.ResourceArn];
        Assert.Equal(new CompositionStatus(CompositionState.Failed, "Stage resource unavailable"), composition.Status!.Value);
        Assert.Equal(((CompositionStateDetail)start.Detail).StageArn, composition.StageArn!.Value);
        var destination = state.Destinations.Values.Single();
        Assert.Equal(new CompositionStatus(CompositionState.Failed, "Channel unavailable"), destination.Status!.Value);
    }

    [Fact]
    public void A_destination_starts_at_its_earliest_Destination_Start_and_ends_at_its_latest_End_in_any_order()
    {
        var start = Event("composition-state-change/destination-start.json", at: 10);
        var reconnecting = Event("composition-state-change/destination-start.json", at: 15, resource: start.ResourceArn,
            edit: d => d["event_name"] = "Destination Reconnecting");
        var restart = Event("composition-state-change/destination-start.json", at: 16, resource: start.ResourceArn);
        var end = Event("composition-state-change/destination-end.json", at: 30, resource: start.ResourceArn);

        var inOrder = Project(start, reconnecting, restart, end);
        var shuffled = Project(end, restart, end, reconnecting, start);

        Assert.Equal(inOrder, shuffled);
        var destination = inOrder.Destinations.Values.Single();
        Assert.Equal((Time(10), Time(30)), (destination.StartedAt, destination.EndedAt));
        Assert.Equal(CompositionState.Stopped, destination.Status!.Value.State);
        var running = Project(reconnecting, start).Destinations.Values.Single();
        Assert.Equal((Time(10), (DateTimeOffset?)null), (running.StartedAt, running.EndedAt));
    }

    /// <summary>The DynamoDB adapter compares <see cref="EventStamp.ToSortKey"/> strings (by UTF-8 bytes): that must be
    /// exactly the order the projection uses.</summary>
    [Property(MaxTest = 500)]
    public Property The_sort_key_orders_stamps_exactly_like_CompareTo() => Prop.ForAll(
        (from a in Stamp
         from b in Stamp
         select (a, b)).ToArbitrary(),
        pair => Math.Sign(pair.a.CompareTo(pair.b)) ==
                Math.Sign(
                    Encoding.UTF8.GetBytes(pair.a.ToSortKey()).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(pair.b.ToSortKey()))));

    private static Gen<EventStamp> Stamp =>
        from ticks in Gen.Choose(0, 5)
        from seconds in Gen.Choose(0, 3)
        from rank in Gen.Elements(0, 10, 12, 53)
        from id in Gen.ArrayOf(Gen.Elements("a", "b", "Z", "-", "#", "é", "\uFFFD", "😀"), 3)
        select new EventStamp(EventGenerators.BaseTime.AddSeconds(seconds).AddTicks(ticks), rank, string.Concat(id));

    private static ProjectionState Project(params ParsedIvsEvent[] events) => Projector.ApplyAll(ProjectionState.Empty, events);

    private static ParticipantProjection Participant(ProjectionState state) => state.Participants.Values.Single();

    private static DateTimeOffset Time(int seconds) => EventGenerators.BaseTime.AddSeconds(seconds);

    /// <summary>A sample re-timed (and re-identified) so a test controls the order; the participant is the same in every stage
    /// sample.</summary>
    private static ParsedIvsEvent Event(string sample, int at, string? id = null, Action<JsonObject>? edit = null, string? resource = null)
    {
        var json = JsonNode.Parse(Samples.Read(sample))!.AsObject();
        var time = Time(at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        json["id"] = id ?? Guid.NewGuid().ToString();
        json["time"] = time;
        var detail = json["detail"]!.AsObject();
        if (detail.ContainsKey("event_time"))
        {
            detail["event_time"] = time;
            detail["participant_id"] = "samePartcpnt";
            detail["session_id"] = "st-SameSession01";
            json["resources"] = new JsonArray("arn:aws:ivs:us-east-1:123456789012:stage/sameStage123");
        }

        if (resource is not null)
        {
            json["resources"] = new JsonArray(resource);
        }

        edit?.Invoke(detail);
        Assert.True(IvsEventParser.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out var parsed, out var reason), reason);
        return parsed;
    }
}
