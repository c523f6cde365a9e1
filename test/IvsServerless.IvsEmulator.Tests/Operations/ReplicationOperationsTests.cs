using System.Net;
using System.Text.Json;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

public sealed class ReplicationOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string UnknownStage = "arn:aws:ivs:us-east-1:123456789012:stage/noSuchStage1";

    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task A_replicated_publisher_appears_in_the_destination_as_a_replica_until_replication_stops()
    {
        var source = await Client.CreateStageAsync();
        var destination = await Client.CreateStageAsync();
        var (participantId, token) = await Client.TokenAsync(source, userId: "streamer", attributes: new { team = "red", seat = "1" });
        await Client.JoinTokenAsync(token);
        await Client.ActAsync(source, participantId, "publish");
        var sourceSession = (await Client.ActiveSessionAsync(source))!;
        Assert.Null(await Client.ActiveSessionAsync(destination));

        var started = await Client.CallAsync("StartParticipantReplication", new
        {
            sourceStageArn = source,
            destinationStageArn = destination,
            participantId,
            reconnectWindowSeconds = 0,
            attributes = new
            {
                seat = "9"
            },
        });

        Assert.Equal(HttpStatusCode.OK, started.Status);
        Assert.Equal("{}", started.Text);
        Assert.Equal("*", started.Headers["access-control-allow-origin"]);
        Assert.Equal("DENY", started.Headers["x-frame-options"]);
        Assert.Equal("nosniff", started.Headers["x-content-type-options"]);
        Assert.True(started.Headers.ContainsKey("strict-transport-security"));

        var destinationSession = (await Client.ActiveSessionAsync(destination))!;
        var replica = await Client.ParticipantAsync(destination, destinationSession, participantId);
        Assert.Equal("REPLICA", replica.GetProperty("replicationType").GetString());
        Assert.Equal("ACTIVE", replica.GetProperty("replicationState").GetString());
        Assert.Equal(source, replica.GetProperty("sourceStageArn").GetString());
        Assert.Equal(sourceSession, replica.GetProperty("sourceSessionId").GetString());
        Assert.Equal("streamer", replica.GetProperty("userId").GetString());
        Assert.True(replica.GetProperty("published").GetBoolean());
        Assert.Equal("red", replica.GetProperty("attributes").GetProperty("team").GetString());
        Assert.Equal("9", replica.GetProperty("attributes").GetProperty("seat").GetString());
        var original = await Client.ParticipantAsync(source, sourceSession, participantId);
        Assert.Equal("SOURCE", original.GetProperty("replicationType").GetString());
        Assert.Equal("ACTIVE", original.GetProperty("replicationState").GetString());

        var replicaEvents = (
            await Client.OkAsync("ListParticipantEvents", new { stageArn = destination, sessionId = destinationSession, participantId }))
            .GetProperty("events");
        Assert.Equal(
            ["REPLICATION_STARTED", "PUBLISH_STARTED", "JOINED"], replicaEvents.EnumerateArray().Select(
            e => e.GetProperty("name").GetString()));
        Assert.All(replicaEvents.EnumerateArray(), e => Assert.True(e.GetProperty("replica").GetBoolean()));
        Assert.Equal(destination, replicaEvents[0].GetProperty("destinationStageArn").GetString());
        Assert.Equal(destinationSession, replicaEvents[0].GetProperty("destinationSessionId").GetString());
        var sourceEvent = (
            await Client.OkAsync("ListParticipantEvents", new { stageArn = source, sessionId = sourceSession, participantId }))
            .GetProperty("events")[0];
        Assert.Equal("REPLICATION_STARTED", sourceEvent.GetProperty("name").GetString());
        Assert.Equal(destination, sourceEvent.GetProperty("destinationStageArn").GetString());
        Assert.Equal(destinationSession, sourceEvent.GetProperty("destinationSessionId").GetString());

        var onSource = emulator.Events.EventsFor(source).Last();
        Assert.Equal(StageEvents.ParticipantReplicationStarted, onSource.EventName);
        Assert.Equal(sourceSession, onSource.Detail["session_id"]!.GetValue<string>());
        Assert.False(onSource.Detail["replica"]!.GetValue<bool>());
        var onDestination = emulator.Events.EventsFor(destination).Single();
        Assert.Equal("IVS Stage Update", onDestination.DetailType);
        Assert.Equal(StageEvents.ParticipantReplicationStarted, onDestination.EventName);
        Assert.Equal(destinationSession, onDestination.Detail["session_id"]!.GetValue<string>());
        Assert.Equal(participantId, onDestination.Detail["participant_id"]!.GetValue<string>());
        Assert.Equal(source, onDestination.Detail["source_stage_arn"]!.GetValue<string>());
        Assert.True(onDestination.Detail["replica"]!.GetValue<bool>());

        var replicas = (await Client.OkAsync("ListParticipantReplicas", new { sourceStageArn = source, participantId })).GetProperty(
            "replicas");
        var listed = replicas.EnumerateArray().Single();
        Assert.Equal(source, listed.GetProperty("sourceStageArn").GetString());
        Assert.Equal(participantId, listed.GetProperty("participantId").GetString());
        Assert.Equal(sourceSession, listed.GetProperty("sourceSessionId").GetString());
        Assert.Equal(destination, listed.GetProperty("destinationStageArn").GetString());
        Assert.Equal(destinationSession, listed.GetProperty("destinationSessionId").GetString());
        Assert.Equal("ACTIVE", listed.GetProperty("replicationState").GetString());

        var stopped = await Client.CallAsync(
            "StopParticipantReplication", new { sourceStageArn = source, destinationStageArn = destination, participantId });

        Assert.Equal(HttpStatusCode.OK, stopped.Status);
        Assert.Equal("{}", stopped.Text);
        Assert.Equal("*", stopped.Headers["access-control-allow-origin"]);
        Assert.Null(await Client.ActiveSessionAsync(destination));
        Assert.Equal(["LEFT", "PUBLISH_STOPPED", "REPLICATION_STOPPED", "REPLICATION_STARTED", "PUBLISH_STARTED", "JOINED"],
            await Client.EventNamesAsync(destination, destinationSession, participantId));
        Assert.Equal("REPLICATION_STOPPED", (await Client.EventNamesAsync(source, sourceSession, participantId))[0]);
        Assert.Equal(
            "STOPPED", (await Client.ParticipantAsync(source, sourceSession, participantId)).GetProperty("replicationState").GetString());
        Assert.Equal(
            "DISCONNECTED", (await Client.ParticipantAsync(destination, destinationSession, participantId)).GetProperty(
            "state").GetString());
        Assert.Equal(
            [StageEvents.ParticipantReplicationStarted, StageEvents.ParticipantReplicationEnded], emulator.Events.EventNamesFor(
            destination));
        Assert.Equal(StageEvents.ParticipantReplicationEnded, emulator.Events.EventsFor(source).Last().EventName);
        Assert.Equal("STOPPED", (await Client.OkAsync("ListParticipantReplicas", new { sourceStageArn = source, participantId }))
            .GetProperty("replicas")[0].GetProperty("replicationState").GetString());
        (
            await Client.CallAsync(
            "StopParticipantReplication", new { sourceStageArn = source, destinationStageArn = destination, participantId }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task Replication_ends_when_the_source_stops_publishing_without_a_reconnect_window()
    {
        var (source, destination, participantId) = await ReplicatedAsync(reconnectWindowSeconds: null);

        await Client.ActAsync(source, participantId, "unpublish");

        Assert.Null(await Client.ActiveSessionAsync(destination));
        Assert.Equal(StageEvents.ParticipantReplicationEnded, emulator.Events.EventsFor(destination).Last().EventName);
    }

    [Fact]
    public async Task Replication_survives_a_source_that_comes_back_within_the_reconnect_window_and_ends_when_it_expires()
    {
        var (source, destination, participantId) = await ReplicatedAsync(reconnectWindowSeconds: 30);

        await Client.ActAsync(source, participantId, "unpublish");
        emulator.Advance(TimeSpan.FromSeconds(20));
        await Client.ActAsync(source, participantId, "publish");
        emulator.Advance(TimeSpan.FromSeconds(20));
        Assert.NotNull(await Client.ActiveSessionAsync(destination));

        await Client.ActAsync(source, participantId, "leave");
        emulator.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(await Client.ActiveSessionAsync(destination));
        Assert.Equal("ACTIVE", (await Client.OkAsync("ListParticipantReplicas", new { sourceStageArn = source, participantId }))
            .GetProperty("replicas")[0].GetProperty("replicationState").GetString());

        emulator.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(await Client.ActiveSessionAsync(destination));
        Assert.Equal("STOPPED", (await Client.OkAsync("ListParticipantReplicas", new { sourceStageArn = source, participantId }))
            .GetProperty("replicas")[0].GetProperty("replicationState").GetString());
    }

    [Fact]
    public async Task Disconnecting_the_replica_ends_the_replication()
    {
        var (source, destination, participantId) = await ReplicatedAsync();
        var sourceSession = (await Client.ActiveSessionAsync(source))!;

        await Client.OkAsync("DisconnectParticipant", new { stageArn = destination, participantId });

        Assert.Null(await Client.ActiveSessionAsync(destination));
        Assert.Equal("REPLICATION_STOPPED", (await Client.EventNamesAsync(source, sourceSession, participantId))[0]);
        Assert.Equal("CONNECTED", (await Client.ParticipantAsync(source, sourceSession, participantId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Deleting_either_stage_ends_the_replication()
    {
        var (source, destination, participantId) = await ReplicatedAsync(reconnectWindowSeconds: 60);
        var sourceSession = (await Client.ActiveSessionAsync(source))!;

        await Client.OkAsync("DeleteStage", new { arn = destination });

        Assert.Equal("REPLICATION_STOPPED", (await Client.EventNamesAsync(source, sourceSession, participantId))[0]);
        Assert.Equal(StageEvents.ParticipantReplicationEnded, emulator.Events.EventsFor(source).Last().EventName);

        var (otherSource, otherDestination, otherId) = await ReplicatedAsync(reconnectWindowSeconds: 60);
        await Client.OkAsync("DeleteStage", new { arn = otherSource });
        Assert.Null(await Client.ActiveSessionAsync(otherDestination));
        Assert.Equal(
            "STOPPED", (await Client.OkAsync("ListParticipantReplicas", new { sourceStageArn = otherSource, participantId = otherId }))
            .GetProperty("replicas")[0].GetProperty("replicationState").GetString());
    }

    [Fact]
    public async Task A_replica_is_not_controlled_through_the_simulation_surface()
    {
        var (_, destination, participantId) = await ReplicatedAsync();

        (await Client.ActRawAsync(destination, participantId, "unpublish")).AssertError(HttpStatusCode.Conflict, "ConflictException");
    }

    [Fact]
    public async Task StartParticipantReplication_errors()
    {
        var source = await Client.CreateStageAsync();
        var destination = await Client.CreateStageAsync();
        var publisher = await Client.PublisherAsync(source);
        var idle = await Client.JoinIdAsync(source);

        Task<WireResponse> Start(string from, string to, string participantId) =>
            Client.CallAsync("StartParticipantReplication", new { sourceStageArn = from, destinationStageArn = to, participantId });

        (await Start(UnknownStage, destination, publisher)).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Start(source, UnknownStage, publisher)).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Start(source, destination, "nobodyHere12")).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Start(source, destination, idle)).AssertError(HttpStatusCode.Conflict, "ConflictException");

        await Start(source, destination, publisher);
        (await Start(source, destination, publisher)).AssertError(HttpStatusCode.Conflict, "ConflictException");
        var third = await Client.CreateStageAsync();
        (await Start(destination, third, publisher)).AssertError(HttpStatusCode.Conflict, "ConflictException");

        // The same participant id already connected in the destination.
        var (clashId, clashToken) = await Client.TokenAsync(source);
        await Client.JoinTokenAsync(clashToken);
        await Client.ActAsync(source, clashId, "publish");
        var other = await Client.CreateStageAsync();
        await Client.OkAsync(
            "StartParticipantReplication", new { sourceStageArn = source, destinationStageArn = other, participantId = clashId });
        (await Start(other, third, clashId)).AssertError(HttpStatusCode.Conflict, "ConflictException");

        Assert.Equal(0, (await Client.OkAsync("ListParticipantReplicas", new { sourceStageArn = source, participantId = idle }))
            .GetProperty("replicas").GetArrayLength());
    }

    [Fact]
    public async Task StartParticipantReplication_into_a_stage_with_12_publishers_is_402()
    {
        var source = await Client.CreateStageAsync();
        var destination = await Client.CreateStageAsync();
        var publisher = await Client.PublisherAsync(source);
        for (var i = 0; i < 12; i++)
        {
            await Client.PublisherAsync(destination);
        }

        var response = await Client.CallAsync(
            "StartParticipantReplication", new { sourceStageArn = source, destinationStageArn = destination, participantId = publisher });

        response.AssertError(HttpStatusCode.PaymentRequired, "ServiceQuotaExceededException");
        Assert.Equal(0, (await Client.OkAsync("ListParticipantReplicas", new { sourceStageArn = source, participantId = publisher }))
            .GetProperty("replicas").GetArrayLength());
    }

    [Fact]
    public async Task StopParticipantReplication_errors()
    {
        var source = await Client.CreateStageAsync();
        var destination = await Client.CreateStageAsync();
        var publisher = await Client.PublisherAsync(source);

        (
            await Client.CallAsync(
            "StopParticipantReplication", new
            {
                sourceStageArn = UnknownStage,
                destinationStageArn = destination,
                participantId = publisher
            }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (
            await Client.CallAsync(
            "StopParticipantReplication", new { sourceStageArn = source, destinationStageArn = UnknownStage, participantId = publisher }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (
            await Client.CallAsync(
            "StopParticipantReplication", new { sourceStageArn = source, destinationStageArn = destination, participantId = publisher }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task ListParticipantReplicas_pages_through_every_replica()
    {
        var source = await Client.CreateStageAsync();
        var publisher = await Client.PublisherAsync(source);
        var destinations = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var destination = await Client.CreateStageAsync();
            destinations.Add(destination);
            await Client.OkAsync(
                "StartParticipantReplication", new
                {
                    sourceStageArn = source,
                    destinationStageArn = destination,
                    participantId = publisher
                });
        }

        var first = await Client.OkAsync(
            "ListParticipantReplicas", new { sourceStageArn = source, participantId = publisher, maxResults = 2 });
        var second = await Client.OkAsync("ListParticipantReplicas",
            new { sourceStageArn = source, participantId = publisher, nextToken = first.GetProperty("nextToken").GetString() });

        var listed = first.GetProperty("replicas").EnumerateArray().Concat(second.GetProperty("replicas").EnumerateArray())
            .Select(r => r.GetProperty("destinationStageArn").GetString()!).ToList();
        Assert.Equal(destinations, listed);
        Assert.Equal(0, (await Client.OkAsync("ListParticipantReplicas", new { sourceStageArn = UnknownStage, participantId = publisher }))
            .GetProperty("replicas").GetArrayLength());
    }

    [Theory]
    [
        InlineData(
        "StartParticipantReplication",
        """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","destinationStageArn":"arn:aws:ivs:us-east-1:1234567"""
        + """89012:stage/aaaaAAAAaaaa","participantId":"p"}""")]
    [
        InlineData(
        "StartParticipantReplication",
        """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","destinationStageArn":"arn:aws:ivs:us-east-1:1234567"""
        + """89012:stage/bbbbBBBBbbbb","participantId":"p","reconnectWindowSeconds":301}""")]
    [
        InlineData(
        "StartParticipantReplication",
        """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","destinationStageArn":"arn:aws:ivs:us-east-1:1234567"""
        + """89012:stage/bbbbBBBBbbbb","participantId":"p","reconnectWindowSeconds":-1}""")]
    [
        InlineData(
        "StartParticipantReplication",
        """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","destinationStageArn":"arn:aws:ivs:us-east-1:1234567"""
        + """89012:stage/bbbbBBBBbbbb"}""")]
    [
        InlineData(
        "StartParticipantReplication",
        """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","destinationStageArn":"bad","participantId":"p"}""")]
    [
        InlineData(
        "StartParticipantReplication",
        """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","destinationStageArn":"arn:aws:ivs:us-east-1:1234567"""
        + """89012:stage/bbbbBBBBbbbb","participantId":"bad_id"}""")]
    [
        InlineData(
        "StopParticipantReplication", """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","participantId":"p"}""")]
    [InlineData("ListParticipantReplicas", """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa"}""")]
    [
        InlineData(
        "ListParticipantReplicas",
        """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","participantId":"p","maxResults":51}""")]
    [
        InlineData(
        "ListParticipantReplicas",
        """{"sourceStageArn":"arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa","participantId":"p","maxResults":0}""")]
    public async Task Replication_operations_validate_their_input(string operation, string body)
    {
        (await Client.SendRawAsync(HttpMethod.Post, "/" + operation, body)).AssertError(HttpStatusCode.BadRequest, "ValidationException");
    }

    [Fact]
    public async Task StartParticipantReplication_rejects_attributes_over_1_KB()
    {
        var attributes = new Dictionary<string, string> { ["big"] = new('x', 1100) };
        var body = JsonSerializer.Serialize(new
        {
            sourceStageArn = "arn:aws:ivs:us-east-1:123456789012:stage/aaaaAAAAaaaa",
            destinationStageArn = "arn:aws:ivs:us-east-1:123456789012:stage/bbbbBBBBbbbb",
            participantId = "p",
            attributes,
        });

        (await Client.SendRawAsync(HttpMethod.Post, "/StartParticipantReplication", body)).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
    }

    [Fact]
    public async Task A_replica_is_recorded_in_the_destination_unless_recordParticipantReplicas_is_false()
    {
        var source = await Client.CreateStageAsync();
        var recorded = await Client.CreateStageAsync();
        var unrecorded = await Client.CreateStageAsync();
        await emulator.EnableRecordingAsync(recorded);
        await emulator.EnableRecordingAsync(unrecorded, recordReplicas: false);
        var publisher = await Client.PublisherAsync(source);

        await Client.OkAsync(
            "StartParticipantReplication", new { sourceStageArn = source, destinationStageArn = recorded, participantId = publisher });
        await Client.OkAsync(
            "StartParticipantReplication", new { sourceStageArn = source, destinationStageArn = unrecorded, participantId = publisher });

        Assert.Equal(
            [StageEvents.ParticipantReplicationStarted, "Recording Start"], emulator.Events.EventNamesFor(recorded).Order(
            StringComparer.Ordinal));
        Assert.Equal([StageEvents.ParticipantReplicationStarted], emulator.Events.EventNamesFor(unrecorded));
    }

    private async Task<(string Source, string Destination, string ParticipantId)> ReplicatedAsync(int? reconnectWindowSeconds = 0)
    {
        var source = await Client.CreateStageAsync();
        var destination = await Client.CreateStageAsync();
        var participantId = await Client.PublisherAsync(source);
        await Client.JoinIdAsync(source); // keeps the source session alive when the publisher leaves
        await Client.OkAsync(
            "StartParticipantReplication", new
            {
                sourceStageArn = source,
                destinationStageArn = destination,
                participantId,
                reconnectWindowSeconds
            });
        return (source, destination, participantId);
    }
}
