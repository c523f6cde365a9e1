using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using IvsServerless.Core.Paging;
using IvsServerless.Infrastructure.DynamoDb;
using static IvsServerless.Infrastructure.Tests.Projection.ProjectionTable;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>
/// Cursors of every wrong kind are the caller's mistake (<see cref="InvalidCursorException"/> → 400), never a
/// DynamoDB ValidationException that would surface as 500: forged with the right shape, truncated, oversized, or
/// issued for another stage and edited to name this one.
/// </summary>
public sealed class InvalidCursorTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    private readonly DynamoDbStageStore _stages = new(table.Client, table.Options);
    private readonly DynamoDbProjectionStore _projection = new(table.Client, table.Options);
    private readonly DynamoDbSessionHistory _history = new(table.Client, table.Options);

    private static string Cursor(params (string Name, string Value)[] key) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(key.ToDictionary(k => k.Name, k => k.Value)));

    private static string[] ForgedOwnerCursors(string owner) =>
    [
        // The right attribute names and partition, but key values DynamoDB refuses or that name no stage item.
        Cursor(("GSI1PK", "OWNER#" + owner), ("GSI1SK", ""), ("PK", ""), ("SK", "")),
        Cursor(("GSI1PK", "OWNER#" + owner), ("GSI1SK", "2026-01-01T00:00:00.000Z"), ("PK", ""), ("SK", "STAGE")),
        Cursor(("GSI1PK", "OWNER#" + owner), ("GSI1SK", "x"), ("PK", "STAGE#x"), ("SK", "")),
        Cursor(("GSI1PK", "OWNER#" + owner), ("GSI1SK", "x"), ("PK", "RECONCILER"), ("SK", "STATE")),
        Cursor(("GSI1PK", "OWNER#" + owner), ("GSI1SK", new string('x', 5000)), ("PK", "STAGE#x"), ("SK", "STAGE")),
        new string('A', 100_000),
        "",
    ];

    [Fact]
    public async Task Forged_truncated_and_oversized_stage_cursors_are_invalid_cursors()
    {
        var owner = "owner-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 3; i++)
        {
            await _stages.AddAsync(Stages.New(owner), default);
        }

        var real = (await _stages.ListOwnedByAsync(owner, new PageRequest(null, 1), default)).NextCursor!;
        var cursors = ForgedOwnerCursors(owner).ToList();
        cursors.AddRange(Enumerable.Range(1, real.Length - 1).Select(n => real[..n]));
        foreach (var cursor in cursors)
        {
            var thrown = await Record.ExceptionAsync(() => _stages.ListOwnedByAsync(owner, new PageRequest(cursor, 1), default));
            Assert.True(
                thrown is InvalidCursorException,
                $"cursor '{cursor[..Math.Min(80, cursor.Length)]}' gave {thrown?.GetType().Name ?? "a page"}");
        }

        // The real one still pages.
        Assert.Single((await _stages.ListOwnedByAsync(owner, new PageRequest(real, 1), default)).Items);
    }

    [Fact]
    public async Task Live_listing_refuses_forged_cursors()
    {
        foreach (var cursor in new[]
        {
            Cursor(("GSI2PK", "LIVE"), ("GSI2SK", ""), ("PK", ""), ("SK", "")),
            Cursor(("GSI2PK", "LIVE"), ("GSI2SK", "x"), ("PK", "SESSIONS#x"), ("SK", "STAGE")),
        })
        {
            await Assert.ThrowsAsync<InvalidCursorException>(() => _stages.ListLivePublicAsync(new PageRequest(cursor, 5), default));
        }
    }

    [Fact]
    public async Task Another_stages_session_cursor_edited_to_name_this_stage_is_invalid()
    {
        const string mine = "mineAAAAAAAA", theirs = "theirsAAAAAA";
        foreach (var stage in new[] { mine, theirs })
        {
            for (var i = 0; i < 3; i++)
            {
                await _projection.ApplyAsync(
                    StageUpdate(stage, $"st-CURSOR{i:D6}XX", "pAAAAAAAAAAA", "Participant Published", i * 100, $"{stage}-{i}"), default);
            }
        }

        var theirCursor = (await _history.ListSessionsAsync(theirs, new PageRequest(null, 1), default)).NextCursor!;
        await Assert.ThrowsAsync<InvalidCursorException>(() => _history.ListSessionsAsync(mine, new PageRequest(theirCursor, 1), default));

        using var decoded = JsonDocument.Parse(Base64Url.DecodeFromChars(theirCursor));
        var edited = decoded.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        edited["GSI1PK"] = "SESSIONS#" + mine;
        var forged = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(edited));
        await Assert.ThrowsAsync<InvalidCursorException>(() => _history.ListSessionsAsync(mine, new PageRequest(forged, 1), default));

        foreach (var cursor in new[]
        {
            Cursor(("GSI1PK", "SESSIONS#" + mine), ("GSI1SK", ""), ("PK", ""), ("SK", "")),
            Cursor(("GSI1PK", "SESSIONS#" + mine), ("GSI1SK", "x"), ("PK", "STAGE#" + mine), ("SK", "STAGE")),
            Encoding.ASCII.GetString(Encoding.ASCII.GetBytes(theirCursor))[..(theirCursor.Length / 2)],
        })
        {
            await Assert.ThrowsAsync<InvalidCursorException>(() => _history.ListSessionsAsync(mine, new PageRequest(cursor, 1), default));
        }
    }
}
