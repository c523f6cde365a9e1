using System.Net.Sockets;

namespace IvsServerless.Testing.Tests;

public sealed class OwnEngineTests
{
    [Fact]
    public async Task Dispose_kills_the_JVM_and_frees_the_port()
    {
        var engine = new DynamoDbLocal();
        await engine.InitializeAsync();
        var port = engine.Port;
        using (var client = engine.CreateClient())
        {
            await client.ListTablesAsync();
        }

        if (OperatingSystem.IsLinux())
        {
            Assert.NotEmpty(Processes.DynamoDbLocalOnPort(port));
        }

        await engine.DisposeAsync();

        if (OperatingSystem.IsLinux())
        {
            Assert.Empty(Processes.DynamoDbLocalOnPort(port));
        }

        using var socket = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => socket.ConnectAsync("127.0.0.1", port));
    }
}

public sealed class MissingJavaTests
{
    [Fact]
    public async Task A_missing_java_is_a_clear_error_naming_what_to_install()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            IvsServerless.Local.DynamoDbLocalEngine.StartAsync(
                new IvsServerless.Local.DynamoDbLocalOptions { Java = "/nonexistent/bin/java" }));

        Assert.Contains("Cannot run `/nonexistent/bin/java -version`", error.Message, StringComparison.Ordinal);
        Assert.Contains("openjdk-17-jre-headless", error.Message, StringComparison.Ordinal);
    }
}
