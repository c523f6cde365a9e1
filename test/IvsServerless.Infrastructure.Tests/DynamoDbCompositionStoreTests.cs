using IvsServerless.Core.Compositions;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Tests;

public sealed class DynamoDbCompositionStoreTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    private readonly DynamoDbCompositionStore _store = new(table.Client, table.Options);

    [Fact]
    public async Task Add_then_find_by_id_and_by_idempotency_key()
    {
        var composition = New("stage000001", "key-1");
        await _store.AddAsync(composition, default);

        Assert.Equal(composition, await _store.FindAsync("stage000001", IdOf(composition), default));
        Assert.Equal(composition, await _store.FindByIdempotencyKeyAsync("stage000001", "key-1", default));
        Assert.Null(await _store.FindByIdempotencyKeyAsync("stage000001", "key-unknown", default));
        Assert.Null(await _store.FindByIdempotencyKeyAsync("stage000002", "key-1", default));
    }

    [Fact]
    public async Task An_ended_composition_round_trips_and_a_reused_key_is_a_conflict()
    {
        var composition = New("stage000007", "key-ended") with
        {
            State = "STOPPED",
            StartedAt = new DateTimeOffset(2026, 2, 1, 10, 0, 0, 123, TimeSpan.Zero),
            EndedAt = new DateTimeOffset(2026, 2, 1, 11, 0, 0, 456, TimeSpan.Zero),
        };
        await _store.AddAsync(composition, default);

        Assert.Equal(composition, await _store.FindAsync("stage000007", IdOf(composition), default));
        await Assert.ThrowsAsync<CompositionConflictException>(() => _store.AddAsync(New("stage000007", "key-ended"), default));
        Assert.Equal(composition, await _store.FindByIdempotencyKeyAsync("stage000007", "key-ended", default));
    }

    [Fact]
    public async Task Where_the_S3_destination_records_round_trips_with_and_without_a_session()
    {
        const string storage = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/Storage00001";
        var inSession = New("stage000008", "key-rec-1") with
        {
            Recording = new CompositionRecordingTarget("Dest00000001", storage, "stage000008/Comp/Dest00000001/composite", "st-Session1"),
        };
        var noSession = New("stage000008", "key-rec-2") with
        {
            Recording = new CompositionRecordingTarget("Dest00000002", storage, "stage000008/Comp/Dest00000002/composite", null),
        };
        await _store.AddAsync(inSession, default);
        await _store.AddAsync(noSession, default);

        Assert.Equal(inSession, await _store.FindAsync("stage000008", IdOf(inSession), default));
        Assert.Equal(noSession, await _store.FindByIdempotencyKeyAsync("stage000008", "key-rec-2", default));
        Assert.Equal(2, (await _store.ListForStageAsync("stage000008", default)).Count(c => c.Recording is not null));
    }

    [Fact]
    public async Task Exactly_one_of_ten_concurrent_starts_with_one_key_is_stored()
    {
        var attempts = Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                await _store.AddAsync(New("stage000003", "same-key"), default);
                return true;
            }
            catch (CompositionConflictException)
            {
                return false;
            }
        });

        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(won => won));
        Assert.Single(await _store.ListForStageAsync("stage000003", default));
    }

    [Fact]
    public async Task Listing_is_newest_first_and_stays_within_the_stage()
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var compositions = Enumerable.Range(0, 4).Select(
            i => New("stage000004", $"k{i}") with { StartedAt = start.AddMinutes(i) }).ToList();
        foreach (var composition in compositions)
        {
            await _store.AddAsync(composition, default);
        }

        await _store.AddAsync(New("stage000005", "k0"), default);

        var listed = await _store.ListForStageAsync("stage000004", default);
        Assert.Equal(compositions.OrderByDescending(c => c.StartedAt), listed);
    }

    [Fact]
    public async Task Final_states_are_never_left()
    {
        var composition = New("stage000006", "k");
        await _store.AddAsync(composition, default);
        var ended = new DateTimeOffset(2026, 3, 1, 1, 0, 0, TimeSpan.Zero);

        await _store.SetStateAsync("stage000006", IdOf(composition), "ACTIVE", null, default);
        Assert.Equal("ACTIVE", (await _store.FindAsync("stage000006", IdOf(composition), default))!.State);

        await _store.SetStateAsync("stage000006", IdOf(composition), "STOPPED", ended, default);
        await _store.SetStateAsync("stage000006", IdOf(composition), "ACTIVE", null, default);
        await _store.SetStateAsync("stage000006", IdOf(composition), "FAILED", null, default);

        var found = await _store.FindAsync("stage000006", IdOf(composition), default);
        Assert.Equal(("STOPPED", (DateTimeOffset?)ended), (found!.State, found.EndedAt));

        await _store.SetStateAsync("stage000006", "unknownCompo", "ACTIVE", null, default);
        Assert.Null(await _store.FindAsync("stage000006", "unknownCompo", default));
    }

    private static Composition New(string stageId, string key) => new(
        $"arn:aws:ivs:us-east-1:123456789012:composition/{Guid.NewGuid().ToString("N")[..12]}", stageId, "user-1", key, "STARTING",
        new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));

    private static string IdOf(Composition composition) => composition.CompositionArn[(composition.CompositionArn.LastIndexOf('/') + 1)..];
}
