using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

// TODO(helper): implement this group's operations and register them.
public static class IngestConfigurationOperations
{
    public static void Register(OperationTable table)
    {
        _ = table;
    }

    /// <summary>DeleteStage: ingest configurations attached to the stage get <c>stageArn: ""</c>.</summary>
    public static void DetachStage(OperationContext context, string stageArn)
    {
        _ = context;
        _ = stageArn;
    }
}
