using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

// TODO(helper): implement this group's operations and register them.
public static class StorageConfigurationOperations
{
    public static void Register(OperationTable table)
    {
        _ = table;
    }
}
