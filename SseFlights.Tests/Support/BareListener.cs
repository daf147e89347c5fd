using System.Net;

namespace SseFlights.Tests.Support;

/// <summary>A bare HttpListener on a free loopback port, for tests of what the server does with the listener's own objects.</summary>
internal static class BareListener
{
    /// <summary>Starts one, retrying on a clash, since the port is only reserved.</summary>
    public static HttpListener Start(out int port)
    {
        for (int attempt = 1; ; attempt++)
        {
            port = FreePort.Reserve();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }
}
