using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IvsServerless.LocalHost;

/// <summary>Loopback addresses: everything the local host serves listens on 127.0.0.1 only.</summary>
public static class LocalUrls
{
    public static string Loopback(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The address Kestrel bound (a port of 0 resolved to the real one), without a trailing slash.</summary>
    public static Uri BoundAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>Whether a TCP listener could bind the port now (on loopback, and on every interface for engines that bind all).</summary>
    public static bool IsFree(int port, bool allInterfaces = false)
    {
        foreach (var address in allInterfaces ? [IPAddress.Loopback, IPAddress.Any] : new[] { IPAddress.Loopback })
        {
            try
            {
                using var listener = new TcpListener(address, port);
                listener.Start();
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
