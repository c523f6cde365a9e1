using IvsServerless.Core.Paging;
using IvsServerless.Core.Stages;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests;

public sealed class DynamoDbStageStoreTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    private readonly DynamoDbStageStore _store = new(table.Client, table.Options);

    [Fact]
    public async Task Every_field_round_trips_including_sets_and_session()
    {
        var stage = Stages.New(visibility: StageVisibility.Private, activeSessionId: "st-abcdefghijklm", coHosts: ["a", "b"])
            with
        {
            InvitedUserIds = new HashSet<string> { "guest" },
            BannedUserIds = new HashSet<string> { "mallory", "trudy" },
            CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
            Endpoints = new StageEndpoints("wss://global.events.live-video.net", "https://abc.global-bm.whip.live-video.net"),
        };
        await _store.AddAsync(stage, default);

        var found = await _store.FindAsync(stage.StageId, default);

        Assert.NotNull(found);
        Assert.Equal(
            (
            stage.StageId, stage.StageArn, stage.Name, stage.OwnerId, stage.Visibility, stage.CreatedAt, stage.Deleted,
            stage.ActiveSessionId, stage.Version),
            (
                found.StageId, found.StageArn, found.Name, found.OwnerId, found.Visibility, found.CreatedAt, found.Deleted,
                found.ActiveSessionId, found.Version));
        Assert.Equal(stage.CoHostIds.Order(), found.CoHostIds.Order());
        Assert.Equal(["guest"], found.InvitedUserIds);
        Assert.Equal(["mallory", "trudy"], found.BannedUserIds.Order(StringComparer.Ordinal));
        Assert.Equal(stage.Endpoints, found.Endpoints);
    }

    [Fact]
    public async Task Stage_stored_before_endpoints_were_cached_reads_without_them()
    {
        var stage = Stages.New();
        await _store.AddAsync(stage, default);
        Assert.Null((await _store.FindAsync(stage.StageId, default))!.Endpoints);
    }

    [Fact]
    public async Task Empty_sets_round_trip_as_empty()
    {
        var stage = Stages.New();
        await _store.AddAsync(stage, default);
        var found = await _store.FindAsync(stage.StageId, default);
        Assert.Empty(found!.CoHostIds);
        Assert.Empty(found.InvitedUserIds);
        Assert.Empty(found.BannedUserIds);
        Assert.Null(await _store.FindAsync("nope", default));
    }

    [Fact]
    public async Task Adding_the_same_stage_again_as_a_retry_after_a_lost_response_does_is_success_another_is_a_conflict()
    {
        var stage = Stages.New();
        await _store.AddAsync(stage, default);

        await _store.AddAsync(stage, default);

        await Assert.ThrowsAsync<StageConflictException>(
            () => _store.AddAsync(stage with { StageArn = stage.StageArn + "-other" }, default));
        await Assert.ThrowsAsync<StageConflictException>(() => _store.AddAsync(stage with { OwnerId = "mallory" }, default));
        Assert.Equal(stage.StageArn, (await _store.FindAsync(stage.StageId, default))!.StageArn);
    }

    [Fact]
    public async Task The_slices_of_the_catalog_hold_every_stage_not_deleted_once()
    {
        var live = Enumerable.Range(0, 12).Select(_ => Stages.New()).ToList();
        var deleted = Stages.New();
        foreach (var stage in live.Append(deleted))
        {
            await _store.AddAsync(stage, default);
        }

        await _store.UpdateAsync(deleted with { Deleted = true, Version = 2 }, default);

        var seen = new List<string>();
        for (var slice = 0; slice < 4; slice++)
        {
            await foreach (var stage in _store.ListSliceAsync(slice, 4, default))
            {
                seen.Add(stage.StageId);
            }
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(live.Select(s => s.StageId).ToHashSet(), seen.ToHashSet());
        Assert.DoesNotContain(deleted.StageId, seen);
    }

    [Fact]
    public async Task A_deleted_stage_is_still_found_marked_deleted_and_its_id_stays_taken()
    {
        var stage = Stages.New(activeSessionId: "st-x", coHosts: ["c"]);
        await _store.AddAsync(stage, default);
        await _store.UpdateAsync(
            stage with { Deleted = true, ActiveSessionId = null, CoHostIds = new HashSet<string>(), Version = 2 }, default);

        var found = await _store.FindAsync(stage.StageId, default);

        Assert.Equal((true, (string?)null, 2L), (found!.Deleted, found.ActiveSessionId, found.Version));
        Assert.Empty(found.CoHostIds);
        await Assert.ThrowsAsync<StageConflictException>(() => _store.AddAsync(stage, default));
    }

    [Fact]
    public async Task Adding_the_same_stage_twice_is_a_conflict()
    {
        var stage = Stages.New();
        await _store.AddAsync(stage, default);
        await Assert.ThrowsAsync<StageConflictException>(() => _store.AddAsync(stage with { Name = "other" }, default));
        Assert.Equal(stage.Name, (await _store.FindAsync(stage.StageId, default))!.Name);
    }

    [Fact]
    public async Task Update_succeeds_against_the_version_read_and_fails_when_stale()
    {
        var stage = Stages.New();
        await _store.AddAsync(stage, default);

        await _store.UpdateAsync(stage with { Name = "renamed", Version = 2 }, default);
        await Assert.ThrowsAsync<StageConflictException>(() => _store.UpdateAsync(stage with { Name = "stale", Version = 2 }, default));
        await Assert.ThrowsAsync<StageConflictException>(() => _store.UpdateAsync(Stages.New() with { Version = 2 }, default));

        var found = await _store.FindAsync(stage.StageId, default);
        Assert.Equal(("renamed", 2L), (found!.Name, found.Version));
    }

    [Fact]
    public async Task Exactly_one_of_ten_concurrent_updates_from_the_same_version_wins()
    {
        var stage = Stages.New();
        await _store.AddAsync(stage, default);

        var attempts = Enumerable.Range(0, 10).Select(async i =>
        {
            try
            {
                await _store.UpdateAsync(stage with { Name = $"writer-{i}", Version = 2 }, default);
                return true;
            }
            catch (StageConflictException)
            {
                return false;
            }
        });
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(won => won));
    }

    [Fact]
    public async Task Owner_listing_is_newest_first_pages_without_gaps_and_excludes_deleted()
    {
        var owner = "owner-" + Guid.NewGuid();
        var start = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var stages = Enumerable.Range(0, 7).Select(i => Stages.New(owner, createdAt: start.AddMinutes(i))).ToList();
        foreach (var stage in stages)
        {
            await _store.AddAsync(stage, default);
        }

        await _store.AddAsync(Stages.New("someone-else"), default);
        await _store.UpdateAsync(stages[3] with { Deleted = true, Version = 2 }, default);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _store.ListOwnedByAsync(owner, new PageRequest(cursor, 2), default);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(s => s.StageId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var expected = stages.Where((_, i) => i != 3).OrderByDescending(s => s.CreatedAt).Select(s => s.StageId);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Live_listing_follows_visibility_session_and_deletion()
    {
        var liveSession = "st-" + Guid.NewGuid().ToString("N")[..13];
        var publicLive = Stages.New(activeSessionId: liveSession);
        var privateLive = Stages.New(visibility: StageVisibility.Private, activeSessionId: liveSession);
        var publicIdle = Stages.New();
        foreach (var stage in new[] { publicLive, privateLive, publicIdle })
        {
            await _store.AddAsync(stage, default);
        }

        Assert.Contains(publicLive.StageId, await LiveIdsAsync());
        Assert.DoesNotContain(privateLive.StageId, await LiveIdsAsync());
        Assert.DoesNotContain(publicIdle.StageId, await LiveIdsAsync());

        await _store.UpdateAsync(publicIdle with { ActiveSessionId = liveSession, Version = 2 }, default);
        await _store.UpdateAsync(publicLive with { ActiveSessionId = null, Version = 2 }, default);
        var live = await LiveIdsAsync();
        Assert.Contains(publicIdle.StageId, live);
        Assert.DoesNotContain(publicLive.StageId, live);

        await _store.UpdateAsync(publicIdle with { ActiveSessionId = liveSession, Deleted = true, Version = 3 }, default);
        Assert.DoesNotContain(publicIdle.StageId, await LiveIdsAsync());
    }

    [Fact]
    public async Task Tampered_or_foreign_cursors_are_rejected()
    {
        var owner = "owner-" + Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            await _store.AddAsync(Stages.New(owner), default);
        }

        var cursor = (await _store.ListOwnedByAsync(owner, new PageRequest(null, 1), default)).NextCursor!;

        await Assert.ThrowsAsync<InvalidCursorException>(
            () => _store.ListOwnedByAsync("another-owner", new PageRequest(cursor, 1), default));
        await Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListLivePublicAsync(new PageRequest(cursor, 1), default));
        await Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListOwnedByAsync(owner, new PageRequest("not-base64!", 1), default));
        await Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListOwnedByAsync(owner, new PageRequest("e30", 1), default));
    }

    private async Task<List<string>> LiveIdsAsync() =>
        (await _store.ListLivePublicAsync(new PageRequest(null, 100), default)).Items.Select(s => s.StageId).ToList();
}
