using System.Text.Json;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Simulation;

/// <summary>Compositions driven only through the public surfaces: the AWS API and /_sim/.</summary>
public sealed class CompositionSimulationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task Composition_stops_a_minute_after_the_last_publisher_unpublishes_even_while_still_connected()
    {
        var stageArn = await Client.CreateStageAsync();
        var host = await Client.JoinIdAsync(stageArn, ["PUBLISH", "SUBSCRIBE"]);
        await Client.ActAsync(stageArn, host, "publish");
        var compositionArn = (await Client.StartS3CompositionAsync(stageArn)).GetProperty("arn").GetString();
        emulator.Advance(emulator.Emulator.Options.CompositionTransitionDelay);
        Assert.Equal("ACTIVE", await StateAsync(compositionArn!));

        emulator.Advance(emulator.Emulator.Options.CompositionIdleStop * 2);
        Assert.Equal("ACTIVE", await StateAsync(compositionArn!));

        await Client.ActAsync(stageArn, host, "unpublish");
        emulator.Advance(emulator.Emulator.Options.CompositionIdleStop);
        emulator.Advance(emulator.Emulator.Options.CompositionTransitionDelay);
        Assert.Equal("STOPPED", await StateAsync(compositionArn!));
    }

    private async Task<string?> StateAsync(string arn) =>
        (await Client.OkAsync("GetComposition", new { arn })).GetProperty("composition").GetProperty("state").GetString();
}
