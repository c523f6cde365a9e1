using Microsoft.AspNetCore.Builder;

namespace IvsServerless.IvsEmulator.Simulation;

// TODO(helper): the /_sim/ surface.
public static class SimulationEndpoints
{
    public static void Map(WebApplication app, IvsRealTimeEmulator emulator)
    {
        _ = app;
        _ = emulator;
    }
}
