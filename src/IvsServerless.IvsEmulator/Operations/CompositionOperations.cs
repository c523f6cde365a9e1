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
}
