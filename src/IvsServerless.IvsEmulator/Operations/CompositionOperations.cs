using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

// TODO(helper): implement this group's operations and register them.
public static class CompositionOperations
{
    public static void Register(OperationTable table)
    {
        _ = table;
    }

    /// <summary>DeleteStage: compositions of the stage stop.</summary>
    public static void StopAllOnStage(OperationContext context, string stageArn)
    {
        _ = context;
        _ = stageArn;
    }

    /// <summary>The simulation calls this whenever a stage's set of publishers changes (publish, unpublish,
    /// leave, disconnect): IVS stops a composition about a minute after its last publisher leaves.</summary>
    public static void OnPublishersChanged(OperationContext context, StageRecord stage)
    {
        _ = context;
        _ = stage;
    }
}
