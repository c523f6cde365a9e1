using System.Net;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests;

/// <summary>An unexpected failure inside an operation is a modeled 500, never a stack trace.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public async Task Unexpected_exception_becomes_InternalServerException_without_internals()
    {
        await using var server = await EmulatorServer.StartAsync(events: new ThrowingSink());
        using var client = new IvsWireClient(server.BaseAddress);
        var stageArn = await client.CreateStageAsync();
        var participantId = await client.JoinIdAsync(stageArn, ["PUBLISH"]);

        // Publishing emits a Participant Published event, which this sink refuses with an unexpected exception.
        var response = await client.ActRawAsync(stageArn, participantId, "publish");

        response.AssertError(HttpStatusCode.InternalServerError, "InternalServerException");
        Assert.DoesNotContain("ThrowingSink", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", response.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.CallAsync("ListStages")).Status);
    }

    private sealed class ThrowingSink : IIvsEventSink
    {
        public void Publish(IvsEvent ivsEvent) => throw new InvalidOperationException("sink is broken: secret internals");
    }
}
