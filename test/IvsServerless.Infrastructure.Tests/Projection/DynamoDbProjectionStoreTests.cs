using IvsServerless.Core.Compositions;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;
using IvsServerless.Core.Sessions;
using IvsServerless.Infrastructure.DynamoDb;
using static IvsServerless.Infrastructure.Tests.Projection.ProjectionTable;

namespace IvsServerless.Infrastructure.Tests.Projection;

/// <summary>The conditional-write projection on DynamoDB Local against the pure rules (Projector).</summary>
public sealed class DynamoDbProjectionStoreTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    private readonly DynamoDbProjectionStore _store = new(table.Client, table.Options);
    private readonly DynamoDbSessionHistory _history = new(table.Client, table.Options);
    private readonly DynamoDbCompositionStore _compositions = new(table.Client, table.Options);

    private static ParsedIvsEvent[] Lifecycle(string stage, string session = "st-AAAAAAAAAAAAA") =>
    [
        StageUpdate(stage, session, "pAAAAAAAAAAA", "Token Exchanged", 0, "e-01"),
        StageUpdate(stage, session, "pAAAAAAAAAAA", "Participant Published", 1, "e-02"),
        Recording(stage, session, "pAAAAAAAAAAA", "Recording Start", 1, "e-03", prefix: "rec/1"),
        StageUpdate(stage, session, "pAAAAAAAAAAA", "Participant Publish Error", 2, "e-04", errorCode: "BITRATE_EXCEEDED"),
        StageUpdate(stage, session, "pBBBBBBBBBBB", "Participant Published", 3, "e-05", userId: "bob"),
        StageUpdate(stage, session, "pAAAAAAAAAAA", "Participant Unpublished", 9, "e-06"),
        Recording(stage, session, "pAAAAAAAAAAA", "Recording End Failure", 9, "e-07"),
        StageUpdate(stage, session, "pBBBBBBBBBBB", "Participant Subscribe State Changed", 12, "e-08", userId: "bob"),
    ];

    [Fact]
    public async Task Applying_every_event_again_changes_no_item()
    {
        const string stage = "replayAAAAAA";
        foreach (var e in Lifecycle(stage))
        {
            await _store.ApplyAsync(e, default);
        }

        var before = await SnapshotAsync(table.Client, table.TableName, stage);
        foreach (var e in Lifecycle(stage))
        {
            await _store.ApplyAsync(e, default);
        }

        Assert.Equal(before, await SnapshotAsync(table.Client, table.TableName, stage));
        Assert.Equal(Projector.ApplyAll(ProjectionState.Empty, Lifecycle(stage)), await _store.ReadStageAsync(stage, default));
    }

    [Fact]
    public async Task A_batch_asks_for_old_values_only_on_the_writes_of_participants_it_has_publishing_events_for()
    {
        const string stage = "returnsAAAAA";
        const string session = "st-RRRRRRRRRRRRR";
        ParsedIvsEvent[] batch =
        [
            StageUpdate(stage, session, "pAAAAAAAAAAA", "Participant Published", 1, "e-r1"),
            StageUpdate(stage, session, "pBBBBBBBBBBB", "Token Exchanged", 1, "e-r2"),
        ];
        var asked = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        void Record(object? sender, Amazon.Runtime.RequestEventArgs e)
        {
            if (e is Amazon.Runtime.WebServiceRequestEventArgs { Request: Amazon.DynamoDBv2.Model.UpdateItemRequest update }
                && update.Key[TableLayout.PartitionKey].S == TableLayout.StagePartition(stage))
            {
                asked[update.Key[TableLayout.SortKey].S] = update.ReturnValues?.Value ?? "NONE";
            }
        }

        table.Client.BeforeRequestEvent += Record;
        try
        {
            var result = await _store.ApplyBatchAsync(batch, default);
            Assert.Empty(result.Failed);
        }
        finally
        {
            table.Client.BeforeRequestEvent -= Record;
        }

        Assert.Equal("UPDATED_OLD", asked[TableLayout.ParticipantSortKey(session, "pAAAAAAAAAAA")]);
        Assert.Equal("NONE", asked[TableLayout.ParticipantSortKey(session, "pBBBBBBBBBBB")]);
        Assert.Equal("NONE", asked[TableLayout.SessionSortKey(session)]);
        Assert.Equal(Projector.ApplyAll(ProjectionState.Empty, batch), await _store.ReadStageAsync(stage, default));
    }

    [Fact]
    public async Task Reversed_delivery_leaves_exactly_the_items_in_order_delivery_leaves()
    {
        const string inOrder = "orderAAAAAAA";
        const string reversed = "orderBBBBBBB";
        foreach (var e in Lifecycle(inOrder))
        {
            await _store.ApplyAsync(e, default);
        }

        foreach (var e in Lifecycle(reversed).Reverse())
        {
            await _store.ApplyAsync(e, default);
        }

        var expected = (await SnapshotAsync(table.Client, table.TableName, inOrder)).Select(
            l => l.Replace(inOrder, "STAGE", StringComparison.Ordinal));
        var actual = (await SnapshotAsync(table.Client, table.TableName, reversed)).Select(
            l => l.Replace(reversed, "STAGE", StringComparison.Ordinal));
        Assert.Equal(expected, actual);

        var state = await _store.ReadStageAsync(reversed, default);
        var a = state.Participants[new ParticipantKey(reversed, "st-AAAAAAAAAAAAA", "pAAAAAAAAAAA")];
        Assert.False(a.Publishing!.Value);
        Assert.Equal(RecordingState.EndFailed, a.Recording!.Value);
        Assert.Equal(new RecordingLocation("ivs-recordings", "rec/1"), a.RecordingLocation!.Value);
        Assert.Equal("BITRATE_EXCEEDED", a.LastPublishError!.Value);
        Assert.Equal(T0, a.FirstSeen);
        Assert.Equal(T0.AddSeconds(9), a.LastSeen);
        var session = state.Sessions[new SessionKey(reversed, "st-AAAAAAAAAAAAA")];
        Assert.Equal((T0, T0.AddSeconds(12)), (session.FirstActivity, session.LastActivity));
    }

    [Fact]
    public async Task Within_one_second_the_later_lifecycle_step_then_the_greater_event_id_wins_in_any_order()
    {
        const string stage = "tiesAAAAAAAA";
        var published = StageUpdate(stage, "st-TTTTTTTTTTTTT", "pAAAAAAAAAAA", "Participant Published", 5, "id-9");
        var unpublished = StageUpdate(stage, "st-TTTTTTTTTTTTT", "pAAAAAAAAAAA", "Participant Unpublished", 5, "id-1");
        var errorLow = StageUpdate(stage, "st-TTTTTTTTTTTTT", "pAAAAAAAAAAA", "Participant Publish Error", 5, "id-2", errorCode: "LOW");
        var errorHigh = StageUpdate(stage, "st-TTTTTTTTTTTTT", "pAAAAAAAAAAA", "Participant Publish Error", 5, "id-3", errorCode: "HIGH");

        foreach (var e in new[] { unpublished, errorHigh, published, errorLow })
        {
            await _store.ApplyAsync(e, default);
        }

        var p = (await _store.ReadStageAsync(stage, default)).Participants.Values.Single();
        Assert.False(p.Publishing!.Value);
        Assert.Equal("HIGH", p.LastPublishError!.Value);
        Assert.Equal(
            Projector.ApplyAll(ProjectionState.Empty, [published, unpublished, errorLow, errorHigh]), await _store.ReadStageAsync(
            stage, default));
    }

    [Fact]
    public async Task Presence_keeps_the_newest_observation_and_only_fills_in_what_no_event_set()
    {
        const string stage = "presenceAAAA";
        var key = new ParticipantKey(stage, "st-PPPPPPPPPPPPP", "pAAAAAAAAAAA");
        await _store.RecordPresenceAsync(
            new ParticipantPresence(key, true, "carol", T0.AddSeconds(-30), false, T0.AddSeconds(20)), default);
        await _store.RecordPresenceAsync(
            new ParticipantPresence(key, false, "carol", T0.AddSeconds(-30), false, T0.AddSeconds(10)), default);

        var participant = Assert.Single((await _history.FindSessionAsync(stage, "st-PPPPPPPPPPPPP", default))!.Participants);
        Assert.True(participant.Connected);
        Assert.Equal(T0.AddSeconds(20), participant.PresenceObservedAt);
        Assert.Equal("carol", participant.UserId);
        Assert.Equal(T0.AddSeconds(-30), participant.Projection.FirstSeen);

        // An event's user id replaces the one presence filled in; an earlier event moves first seen back.
        await _store.ApplyAsync(
            StageUpdate(stage, "st-PPPPPPPPPPPPP", "pAAAAAAAAAAA", "Participant Published", -40, "p-1", userId: "carol-from-ivs"), default);
        await _store.RecordPresenceAsync(
            new ParticipantPresence(key, false, "ignored", T0.AddSeconds(-30), true, T0.AddSeconds(30)), default);

        participant = Assert.Single((await _history.FindSessionAsync(stage, "st-PPPPPPPPPPPPP", default))!.Participants);
        Assert.False(participant.Connected);
        Assert.Equal("carol-from-ivs", participant.UserId);
        Assert.Equal(T0.AddSeconds(-40), participant.Projection.FirstSeen);
        Assert.False(participant.IsPresent);
    }

    [Fact]
    public async Task Composition_events_update_the_stored_composition_and_never_create_one()
    {
        const string stage = "compAAAAAAAA";
        var arn = $"arn:aws:ivs:us-east-1:{Account}:composition/cmpAAAAAAAAA";
        await _compositions.AddAsync(StoredComposition(stage, arn), default);
        ParsedIvsEvent[] events =
        [
            CompositionEvent(
                stage, "cmpAAAAAAAAA", "Destination Failure", 7, "c-4", destinationId: "dstAAAAAAAAA", reason: "Channel unavailable"),
            CompositionEvent(stage, "cmpAAAAAAAAA", "Session End", 8, "c-3"),
            CompositionEvent(stage, "cmpAAAAAAAAA", "Session Start", 1, "c-1"),
            CompositionEvent(stage, "cmpAAAAAAAAA", "Destination Start", 1, "c-2", destinationId: "dstAAAAAAAAA"),
            CompositionEvent(stage, "cmpUNKNOWNXX", "Session Start", 1, "c-5"),
        ];
        foreach (var e in events)
        {
            await _store.ApplyAsync(e, default);
        }

        var state = await _store.ReadStageAsync(stage, default);
        var composition = Assert.Single(state.Compositions.Values);
        Assert.Equal(CompositionState.Stopped, composition.Status!.Value.State);
        var destination = Assert.Single(state.Destinations.Values);
        Assert.Equal(new CompositionStatus(CompositionState.Failed, "Channel unavailable"), destination.Status!.Value);
        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(7)), (destination.StartedAt!.Value, destination.EndedAt!.Value));
        Assert.Equal(Projector.ApplyAll(ProjectionState.Empty, events.Take(4)), state);
        // The API's view of the composition is untouched by the projection attributes; it shows the destination's times.
        var stored = await _compositions.FindAsync(stage, "cmpAAAAAAAAA", default);
        Assert.Equal("STARTING", stored!.State);
        Assert.Equal(new CompositionDestination("dstAAAAAAAAA", "FAILED", "Channel unavailable", T0.AddSeconds(1), T0.AddSeconds(7)),
            Assert.Single(stored.Destinations!));
    }

    [Fact]
    public async Task Session_history_lists_newest_first_with_cursors_and_shows_timelines()
    {
        const string stage = "historyAAAAA";
        for (var i = 0; i < 5; i++)
        {
            await _store.ApplyAsync(
                StageUpdate(stage, $"st-SESSION{i:D5}XX", "pAAAAAAAAAAA", "Participant Published", i * 100, $"h-{i}"), default);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _history.ListSessionsAsync(stage, new Core.Paging.PageRequest(cursor, 2), default);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(s => s.SessionId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"st-SESSION{i:D5}XX"), seen);
        var foreignCursor = (await _history.ListSessionsAsync(stage, new Core.Paging.PageRequest(null, 1), default)).NextCursor;
        await Assert.ThrowsAsync<Core.Paging.InvalidCursorException>(
            () => _history.ListSessionsAsync("otherAAAAAAA", new Core.Paging.PageRequest(foreignCursor, 1), default));

        foreach (var e in Lifecycle(stage, "st-SESSION00002XX"))
        {
            await _store.ApplyAsync(e, default);
        }

        var detail = await _history.FindSessionAsync(stage, "st-SESSION00002XX", default);
        Assert.NotNull(detail);
        Assert.Equal(T0, detail.Session.FirstActivity);
        var a = detail.Participants.Single(p => p.ParticipantId == "pAAAAAAAAAAA");
        // The listing test's own event for this session happened at +200 s, after the whole lifecycle.
        Assert.Equal(
            [
            "Token Exchanged", "Participant Published", "Recording Start", "Participant Publish Error", "Participant Unpublished",
            "Recording End Failure", "Participant Published"],
            a.Timeline.Select(t => t.EventName));
        Assert.Equal("BITRATE_EXCEEDED", a.Timeline.Single(t => t.EventName == "Participant Publish Error").ErrorCode);
        Assert.Null(await _history.FindSessionAsync(stage, "st-SESSION0000", default));
        Assert.Null(await _history.FindSessionAsync(stage, "st-NOSUCHSESSION", default));
    }
}
