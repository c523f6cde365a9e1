using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;

namespace IvsServerless.Core.Tests.Projection;

/// <summary>
/// The batched write path's contract: folding each batch per item and merging the items into what is stored (what
/// one guarded write per item does) gives the in-order state, however the delivery is cut into batches, in any order,
/// with any duplicates, and with batches retried.
/// </summary>
public sealed class ProjectionBatchPropertyTests
{
    [Property(MaxTest = 400)]
    public Property Any_delivery_cut_into_any_batches_gives_the_in_order_state() => Prop.ForAll(
        (from events in EventGenerators.Events(distinctTimes: false)
         from delivered in EventGenerators.Delivery(events)
         from cuts in Gen.ArrayOf(Gen.Choose(1, 8), delivered.Length)
         select (events, delivered, cuts)).ToArbitrary(),
        run =>
        {
            var state = Batches(run.delivered, run.cuts)
                .Aggregate(ProjectionState.Empty, (stored, batch) => ProjectionMerge.Merge(stored, ProjectionBatch.Of(batch).ToState()));
            return state == Projector.ApplyAll(ProjectionState.Empty, run.events.OrderBy(e => e.EventTime));
        });

    [Property(MaxTest = 300)]
    public Property Merging_items_is_commutative_and_idempotent() => Prop.ForAll(
        (from first in EventGenerators.Events(distinctTimes: false)
         from second in EventGenerators.Events(distinctTimes: false)
         select (first, second)).ToArbitrary(),
        run =>
        {
            var a = Projector.ApplyAll(ProjectionState.Empty, run.first);
            var b = Projector.ApplyAll(ProjectionState.Empty, run.second);
            var ab = ProjectionMerge.Merge(a, b);
            return ab == ProjectionMerge.Merge(b, a) && ab == ProjectionMerge.Merge(ab, b) && ab == ProjectionMerge.Merge(ab, a);
        });

    [Property(MaxTest = 200)]
    public Property Every_event_is_listed_under_each_item_it_touches_and_nowhere_else() => Prop.ForAll(
        EventGenerators.Events(distinctTimes: false).ToArbitrary(),
        events =>
        {
            var batch = ProjectionBatch.Of(events);
            var stageEvents = Enumerable.Range(0, events.Length).Where(i => events[i].Detail is not CompositionStateDetail).ToList();
            return batch.Participants.SelectMany(p => p.Events).Order().SequenceEqual(stageEvents)
                && batch.Sessions.SelectMany(s => s.Events).Order().SequenceEqual(stageEvents)
                && batch.Logged.SequenceEqual(stageEvents)
                && batch.Participants.All(p => p.Events.All(i => Projector.ParticipantKeyOf(events[i]) == p.Item.Key))
                && batch.Compositions.SelectMany(c => c.Events).Order().SequenceEqual(
                    Enumerable.Range(0, events.Length).Where(i => events[i].Detail is CompositionStateDetail))
                && batch.Compositions.All(c => c.Events.All(i => events[i].ResourceArn == c.Item.Composition.CompositionArn));
        });

    private static IEnumerable<ParsedIvsEvent[]> Batches(ParsedIvsEvent[] delivered, int[] cuts)
    {
        for (int start = 0, k = 0; start < delivered.Length; start += cuts[k++])
        {
            yield return delivered[start..Math.Min(delivered.Length, start + cuts[k])];
        }
    }
}
