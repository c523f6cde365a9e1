using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IvsServerless.Core.Events;
using IvsServerless.Core.Projection;

namespace IvsServerless.Core.Tests.Projection;

/// <summary>
/// The projection's contract with EventBridge's delivery: whatever the order, however often each event arrives,
/// the final state is the one in-order delivery gives.
/// </summary>
public sealed class ProjectionPropertyTests
{
    [Property(MaxTest = 400)]
    public Property Any_permutation_with_duplicates_of_events_with_distinct_times_gives_the_in_order_state() => Prop.ForAll(
        (from events in EventGenerators.Events(distinctTimes: true)
         from delivered in EventGenerators.Delivery(events)
         select (events, delivered)).ToArbitrary(),
        pair => Project(pair.events.OrderBy(e => e.EventTime)) == Project(pair.delivered));

    [Property(MaxTest = 400)]
    public Property Events_in_the_same_second_give_the_same_state_in_any_order() => Prop.ForAll(
        (from events in EventGenerators.Events(distinctTimes: false)
         from first in EventGenerators.Delivery(events)
         from second in EventGenerators.Delivery(events)
         select (events, first, second)).ToArbitrary(),
        run =>
        {
            // "In order" is ambiguous for ties; any time-ordered sequence must agree with any delivery.
            var byTime = Project(run.events.OrderBy(e => e.EventTime));
            var byTimeReversedTies = Project(run.events.Reverse().OrderBy(e => e.EventTime));
            return byTime == byTimeReversedTies && byTime == Project(run.first) && byTime == Project(run.second);
        });

    [Property(MaxTest = 300)]
    public Property Publishing_is_what_the_latest_Published_or_Unpublished_event_said() => Prop.ForAll(
        (from events in EventGenerators.Events(distinctTimes: true)
         from delivered in EventGenerators.Delivery(events)
         select (events, delivered)).ToArbitrary(),
        run =>
        {
            var state = Project(run.delivered);
            return run.events
                .Where(e => e.EventName is IvsEventName.ParticipantPublished or IvsEventName.ParticipantUnpublished)
                .GroupBy(Projector.ParticipantKeyOf)
                .All(
                    g =>
                    state.Participants[g.Key].Publishing!.Value == (
                    g.MaxBy(e => e.EventTime)!.EventName == IvsEventName.ParticipantPublished));
        });

    [Property(MaxTest = 300)]
    public Property First_and_last_seen_are_the_earliest_and_latest_event_times_of_the_participant() => Prop.ForAll(
        (from events in EventGenerators.Events(distinctTimes: false)
         from delivered in EventGenerators.Delivery(events)
         select (events, delivered)).ToArbitrary(),
        run =>
        {
            var state = Project(run.delivered);
            return run.events.Where(e => e.DetailType != IvsDetailType.CompositionStateChange).GroupBy(Projector.ParticipantKeyOf).All(g =>
                state.Participants[g.Key].FirstSeen == g.Min(e => e.EventTime)
                    && state.Participants[g.Key].LastSeen == g.Max(e => e.EventTime));
        });

    private static ProjectionState Project(IEnumerable<ParsedIvsEvent> events) => Projector.ApplyAll(ProjectionState.Empty, events);
}
