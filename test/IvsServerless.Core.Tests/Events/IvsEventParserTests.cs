using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IvsServerless.Core.Events;

namespace IvsServerless.Core.Tests.Events;

public sealed class IvsEventParserTests
{
    public static TheoryData<string> Captured =>
        Samples.In("stage-update", "participant-recording-state-change", "composition-state-change");
    public static TheoryData<string> Edge => Samples.In("edge");
    public static TheoryData<string> Bad => Samples.In("bad");

    [Theory]
    [MemberData(nameof(Captured))]
    public void Every_captured_sample_parses_to_a_known_event_name_of_its_folder(string sample)
    {
        var parsed = Parse(sample);

        Assert.False(parsed.IsUnknownEventName, parsed.EventNameText);
        Assert.Equal(sample.Split('/')[0], parsed.DetailType switch
        {
            IvsDetailType.StageUpdate => "stage-update",
            IvsDetailType.ParticipantRecordingStateChange => "participant-recording-state-change",
            _ => "composition-state-change",
        });
        Assert.Equal(Path.GetFileNameWithoutExtension(sample), parsed.EventNameText.ToLowerInvariant().Replace(' ', '-'));
    }

    [Theory]
    [MemberData(nameof(Edge))]
    public void Every_edge_sample_is_accepted(string sample) => Parse(sample);

    [Theory]
    [MemberData(nameof(Bad))]
    public void Every_bad_sample_is_rejected_with_a_reason_naming_the_problem(string sample)
    {
        var expected = Path.GetFileNameWithoutExtension(sample) switch
        {
            "missing-detail" => "detail",
            "missing-id" => "id",
            "missing-participant-id" => "detail.participant_id",
            "missing-session-id" => "detail.session_id",
            "missing-stage-arn" => "detail.stage_arn",
            "empty-resources" => "resources",
            "wrong-type-time" => "wrong type at $.time",
            "wrong-type-resources" => "wrong type at $.resources",
            "wrong-type-user-id" => "wrong type at detail.user_id",
            "wrong-type-event-name" => "wrong type at detail.event_name",
            "detail-not-object" => "not an object",
            "unknown-detail-type" => "unknown detail-type 'IVS Stream State Change'",
            "wrong-source" => "source is 'custom.ivs'",
            "unparsable-time" => "time 'yesterday'",
            "unparsable-event-time" => "detail.event_time",
            "resource-not-a-stage" => "not a stage ARN",
            "json-array" => "$",
            "empty-object" => "missing",
            "truncated" or "not-json" => "malformed JSON",
            var other => throw new InvalidOperationException($"No expectation for bad sample {other}: add one."),
        };

        Assert.False(IvsEventParser.TryParse(Samples.Read(sample), out var parsed, out var reason));
        Assert.Null(parsed);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_event_name_is_kept_as_text_and_marked_unknown()
    {
        var parsed = Parse("edge/unknown-event-name.json");

        Assert.Equal(IvsEventName.Unknown, parsed.EventName);
        Assert.Equal("Participant Subscribed", parsed.EventNameText);
    }

    [Fact]
    public void Unknown_detail_fields_are_kept()
    {
        var detail = (StageUpdateDetail)Parse("edge/extra-fields.json").Detail;

        Assert.Equal("later IVS field", detail.Extra!["error_message"].GetString());
        Assert.Equal(2, detail.Extra["attempt"].GetInt32());
    }

    [Fact]
    public void Event_time_is_detail_event_time_when_present_else_the_envelope_time()
    {
        var json = JsonNode.Parse(Samples.Read("stage-update/participant-published.json"))!;
        json["time"] = "2026-11-25T12:00:05Z";
        json["detail"]!["event_time"] = "2026-11-25T12:00:01.250Z";
        Assert.True(IvsEventParser.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out var withEventTime, out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 0, 1, 250, TimeSpan.Zero), withEventTime.EventTime);

        var withoutEventTime = Parse("edge/no-event-time.json");
        Assert.Equal(withoutEventTime.Envelope.Time, withoutEventTime.EventTime);
        Assert.Equal(
            Parse("composition-state-change/session-start.json").Envelope.Time, Parse(
            "composition-state-change/session-start.json").EventTime);
    }

    [Fact]
    public void Typed_details_carry_the_fields_of_their_event()
    {
        var error = (StageUpdateDetail)Parse("stage-update/participant-publish-error.json").Detail;
        Assert.Equal("BITRATE_EXCEEDED", error.ErrorCode);
        var recording = (ParticipantRecordingDetail)Parse("participant-recording-state-change/recording-start.json").Detail;
        Assert.Equal("ivs-recordings", recording.RecordingS3BucketName);
        Assert.StartsWith(
            recording.RecordingS3KeyPrefix!.Split('/')[0], Parse(
            "participant-recording-state-change/recording-start.json").ResourceArn.Split('/')[^1], StringComparison.Ordinal);
        var failure = (CompositionStateDetail)Parse("composition-state-change/session-failure.json").Detail;
        Assert.Equal("Stage resource unavailable", failure.Reason);
        Assert.False(
            string.IsNullOrEmpty(((CompositionStateDetail)Parse("composition-state-change/destination-start.json").Detail).DestinationId));
    }

    [Theory]
    [InlineData(1024 * 1024, false)]
    [InlineData(IvsEventParser.MaxEventBytes + 1, false)]
    [InlineData(IvsEventParser.MaxEventBytes, true)]
    public void Events_above_the_EventBridge_limit_are_rejected_before_parsing(int size, bool accepted)
    {
        var json = JsonNode.Parse(Samples.Read("stage-update/participant-published.json"))!;
        json["detail"]!["padding"] = "";
        var padding = size - Encoding.UTF8.GetByteCount(json.ToJsonString());
        json["detail"]!["padding"] = new string('x', padding);
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        Assert.Equal(size, bytes.Length);

        Assert.Equal(accepted, IvsEventParser.TryParse(bytes, out _, out var reason));
        Assert.True(accepted || reason.Contains("EventBridge limit", StringComparison.Ordinal), reason);
    }

    [Property(MaxTest = 500)]
    public bool No_exception_escapes_for_random_bytes(byte[] bytes) => TryParseSafely(bytes);

    /// <summary>Random bytes are rarely JSON; corrupting real samples reaches the deeper validation paths.</summary>
    [Property(MaxTest = 500)]
    public Property No_exception_escapes_for_corrupted_samples() => Prop.ForAll(
        (from sample in Gen.Elements(Samples.Files("stage-update", "participant-recording-state-change", "composition-state-change"))
         from position in Gen.Choose(0, 10_000)
         from value in Gen.Choose(0, 255)
         from truncate in Gen.Elements(true, false)
         select Corrupt(Samples.Read(sample), position, (byte)value, truncate)).ToArbitrary(),
        TryParseSafely);

    private static byte[] Corrupt(byte[] bytes, int position, byte value, bool truncate)
    {
        var at = position % bytes.Length;
        if (truncate)
        {
            return bytes[..at];
        }

        bytes[at] = value;
        return bytes;
    }

    private static bool TryParseSafely(byte[] bytes)
    {
        var ok = IvsEventParser.TryParse(bytes, out var parsed, out var reason);
        return ok ? parsed is not null && reason.Length == 0 : parsed is null && reason.Length > 0;
    }

    private static ParsedIvsEvent Parse(string sample)
    {
        Assert.True(IvsEventParser.TryParse(Samples.Read(sample), out var parsed, out var reason), $"{sample}: {reason}");
        return parsed;
    }
}
