using System.Net;
using System.Net.Sockets;

namespace SseFlights.Bench.Target;

/// <summary>Picks a free loopback port in 20000–29999, below the ephemeral range (32768–60999)
/// so no client socket can be holding it.</summary>
internal static class PortPicker
{
    public static int Pick()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int port = Random.Shared.Next(20000, 30000);
            try
            {
                var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                probe.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
        throw new InvalidOperationException("no free port in 20000-29999");
    }
}
