using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

// TODO(helper): implement this group's operations and register them.
public static class SessionOperations
{
    public static void Register(OperationTable table)
    {
        _ = table;
    }

    /// <summary>DeleteStage: everyone leaves (events as for a leave) and the session ends.</summary>
    public static void DisconnectEveryone(OperationContext context, StageRecord stage)
    {
        _ = context;
        _ = stage;
    }
}
