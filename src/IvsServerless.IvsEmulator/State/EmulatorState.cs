namespace IvsServerless.IvsEmulator.State;

/// <summary>
/// All emulator state. Every operation runs under <see cref="Gate"/>, so a request sees and leaves a
/// consistent picture (and events are emitted in the order changes happen). Each resource group adds
/// its own collections in its own file (this class is partial).
/// </summary>
public sealed partial class EmulatorState
{
    private readonly List<ScheduledAction> _schedule = [];

    public object Gate { get; } = new();

    /// <summary>Every resource that can carry tags, by ARN: what the tag operations act on.</summary>
    public Dictionary<string, ITaggable> Taggable { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="action"/> once the clock reaches <paramref name="due"/>.</summary>
    public void Schedule(DateTimeOffset due, string description, Action<Operations.OperationContext> action) =>
        _schedule.Add(new ScheduledAction(due, description, action));

    /// <summary>Runs every scheduled action that is due, oldest first; actions may schedule more.</summary>
    public void RunDue(Operations.OperationContext context)
    {
        while (true)
        {
            var next = _schedule.Where(a => a.Due <= context.Now).OrderBy(a => a.Due).FirstOrDefault();
            if (next is null)
            {
                return;
            }

            _schedule.Remove(next);
            next.Action(context);
        }
    }

    public int PendingScheduledActions => _schedule.Count;

    private sealed record ScheduledAction(DateTimeOffset Due, string Description, Action<Operations.OperationContext> Action);
}

/// <summary>A resource the tag operations can address by ARN.</summary>
public interface ITaggable
{
    string Arn { get; }
    Dictionary<string, string> Tags { get; }
}
