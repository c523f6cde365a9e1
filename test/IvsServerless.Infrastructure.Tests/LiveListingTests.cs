using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using IvsServerless.Core.Paging;
using IvsServerless.Infrastructure.DynamoDb;
using Xunit.Abstractions;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>Its own table, so the single LIVE partition holds only this class's stages.</summary>
public sealed class LiveListingTests(ItemsTable table, ITestOutputHelper output) : IClassFixture<ItemsTable>
{
    private readonly DynamoDbStageStore _store = new(table.Client, table.Options);

    [Fact]
    public async Task Live_listing_pages_newest_first_without_gaps_and_clamps_the_limit()
    {
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var stages = Enumerable.Range(0, 120).Select(
            i => Stages.New("owner-" + (i % 7), createdAt: start.AddSeconds(i), activeSessionId: "st-live")).ToList();

        var clock = Stopwatch.StartNew();
        foreach (var stage in stages)
        {
            await _store.AddAsync(stage, default);
        }

        output.WriteLine(
            $"{stages.Count} sequential conditional puts: {clock.ElapsedMilliseconds} ms, {stages.Count / clock.Elapsed.TotalSeconds:F0} "
            + $"ops/s");

        var first = await _store.ListLivePublicAsync(new PageRequest(null, 1000), default);
        Assert.Equal(PageRequest.MaxLimit, first.Items.Count);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _store.ListLivePublicAsync(new PageRequest(cursor, 13), default);
            Assert.True(page.Items.Count <= 13);
            seen.AddRange(page.Items.Select(s => s.StageId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(stages.OrderByDescending(s => s.CreatedAt).Select(s => s.StageId), seen);
    }

    [Fact]
    public async Task Forged_cursors_are_rejected()
    {
        await _store.AddAsync(Stages.New(owner: "forger"), default);
        var real = Decode(
            (await ListOwned("forger", null)).NextCursor
            ?? Encode("""{"GSI1PK":"OWNER#forger","GSI1SK":"x","PK":"STAGE#x","SK":"STAGE"}"""));
        Assert.Contains("OWNER#forger", real);

        string[] forged =
        [
            real.Replace("OWNER#forger", "OWNER#victim"),
            real.Replace("}", ""","extra":"x"}"""),
            """{"GSI1PK":"OWNER#forger","GSI1SK":"x","PK":"STAGE#x"}""",
            """{"GSI1PK":"OWNER#forger","GSI1SK":"x","PK":"STAGE#x","SK":1}""",
            """["OWNER#forger"]""",
            "not json",
        ];
        foreach (var json in forged)
        {
            await Assert.ThrowsAsync<InvalidCursorException>(() => ListOwned("forger", Encode(json)));
        }

        await Assert.ThrowsAsync<InvalidCursorException>(() => ListOwned("forger", "%%%"));
        await Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListLivePublicAsync(new PageRequest(Encode(real), 5), default));
        Assert.All((await ListOwned("forger", Encode(real))).Items, s => Assert.Equal("forger", s.OwnerId));
    }

    private Task<Page<Core.Stages.Stage>> ListOwned(string owner, string? cursor) =>
        _store.ListOwnedByAsync(owner, new PageRequest(cursor, 1), default);

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Decode(string cursor) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
}
