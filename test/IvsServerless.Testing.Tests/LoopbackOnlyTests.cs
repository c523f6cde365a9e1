using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using IvsServerless.Local;

namespace IvsServerless.Testing.Tests;

/// <summary>
/// DynamoDB Local accepts connections on 127.0.0.1 only (issue 17, item 5): it has no bind option, so the engine runs it
/// through a launcher that binds its server to loopback. Connecting to this machine's own non-loopback addresses
/// (what `hostname -I` prints) must be refused.
/// </summary>
public sealed class LoopbackOnlyTests
{
    [Fact]
    public async Task DynamoDB_Local_refuses_connections_on_the_machine_s_non_loopback_addresses()
    {
        await using var engine = await DynamoDbLocalEngine.StartAsync(new DynamoDbLocalOptions());
        Assert.True(engine.LoopbackOnly, "a JDK is on this machine: the engine must bind 127.0.0.1 only");

        await LoopbackAssert.AcceptsOnLoopbackOnlyAsync(engine.Port);
    }
}

/// <summary>What "listens on loopback only" means for a local engine's port.</summary>
internal static class LoopbackAssert
{
    /// <summary>127.0.0.1 accepts a connection to the port; every other IPv4 address of this machine refuses it.</summary>
    public static async Task AcceptsOnLoopbackOnlyAsync(int port)
    {
        using (var loopback = new TcpClient())
        {
            await loopback.ConnectAsync(IPAddress.Loopback, port);
        }

        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !IPAddress.IsLoopback(a) && a.AddressFamily == AddressFamily.InterNetwork)
            .ToList();
        Assert.NotEmpty(addresses);
        foreach (var address in addresses)
        {
            using var remote = new TcpClient();
            var refused = await Assert.ThrowsAnyAsync<SocketException>(() => remote.ConnectAsync(address, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }
}
