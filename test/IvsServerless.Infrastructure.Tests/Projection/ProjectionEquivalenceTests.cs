using IvsServerless.Core.Projection;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.Testing.Projection;

namespace IvsServerless.Infrastructure.Tests.Projection;

/// <summary>
/// Property-style: seeded random event sets, delivered shuffled with duplicates and concurrently (as Lambda runs),
/// leave exactly the items <see cref="Projector.ApplyAll"/> computes from in-order delivery.
/// </summary>
public sealed class ProjectionEquivalenceTests(ItemsTable table) : IClassFixture<ItemsTable>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Shuffled_duplicated_concurrent_delivery_leaves_the_in_order_projection(int seed)
    {
        var workload = SyntheticIvsEvents.Generate(seed, eventCount: 300, stageCount: 3);
        var store = new DynamoDbProjectionStore(table.Client, table.Options);
        var compositions = new DynamoDbCompositionStore(table.Client, table.Options);
        foreach (var (stageId, arn) in workload.Compositions)
        {
            await compositions.AddAsync(ProjectionTable.StoredComposition(stageId, arn), default);
        }

        var delivered = SyntheticIvsEvents.Delivery(workload.Events, seed, duplicateFraction: 0.2);
        await Parallel.ForEachAsync(delivered, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (e, ct) => await store.ApplyAsync(e.Parsed, ct));

        var expected = Projector.ApplyAll(ProjectionState.Empty, workload.Events.Select(e => e.Parsed));
        var compositionsSeen = 0;
        foreach (var stageId in workload.StageIds)
        {
            var actual = await store.ReadStageAsync(stageId, default);
            Assert.Equal(Only(expected, stageId), actual);
            Assert.NotEmpty(actual.Participants);
            compositionsSeen += actual.Compositions.Count;
        }

        Assert.Equal(workload.Compositions.Count, compositionsSeen);
    }

    [Fact]
    public async Task The_in_memory_store_mirrors_the_projector()
    {
        var workload = SyntheticIvsEvents.Generate(7, eventCount: 400, stageCount: 4);
        var store = new InMemoryProjectionStore();
        await Parallel.ForEachAsync(
            SyntheticIvsEvents.Delivery(workload.Events, 7, 0.3), async (e, ct) => await store.ApplyAsync(e.Parsed, ct));
        Assert.Equal(Projector.ApplyAll(ProjectionState.Empty, workload.Events.Select(e => e.Parsed)), store.State);
    }

    /// <summary>The part of the projection stored under one stage's partition.</summary>
    public static ProjectionState Only(ProjectionState state, string stageId)
    {
        var compositions = state.Compositions.Where(c => c.Value.StageArn?.Value == SyntheticIvsEvents.StageArn(stageId)).Select(
            c => c.Key).ToHashSet(StringComparer.Ordinal);
        return state with
        {
            Participants = state.Participants.RemoveRange(state.Participants.Keys.Where(k => k.StageId != stageId)),
            Sessions = state.Sessions.RemoveRange(state.Sessions.Keys.Where(k => k.StageId != stageId)),
            Compositions = state.Compositions.RemoveRange(state.Compositions.Keys.Where(k => !compositions.Contains(k))),
            Destinations = state.Destinations.RemoveRange(state.Destinations.Keys.Where(k => !compositions.Contains(k.CompositionArn))),
        };
    }
}
