using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using SseFlights.Http;

namespace SseFlights.Tests.Support;

/// <summary>A bare HttpListener on a free loopback port, for tests of what the server does with the listener's own objects.</summary>
internal static class BareListener
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

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

    /// <summary>Writes <paramref name="text"/> to <paramref name="body"/> as one write, in a buffer of the body's own.</summary>
    public static async Task WriteAsync(SseFlights.Delivery.StreamBody body, string text)
    {
        var buffer = body.Rent(text.Length);
        System.Text.Encoding.ASCII.GetBytes(text).CopyTo(buffer.Payload);
        await body.WriteAsync(buffer, text.Length);
        SseFlights.Delivery.StreamBody.Return(buffer);
    }

    /// <summary>The listener's connection behind <paramref name="context"/>.</summary>
    public static object Connection(HttpListenerContext context) =>
        typeof(HttpListenerContext).GetField("_connection", Private)!.GetValue(context)!;

    /// <summary>The socket of the listener's connection behind <paramref name="context"/>.</summary>
    public static Socket Socket(HttpListenerContext context)
    {
        object connection = Connection(context);
        return (Socket)connection.GetType().GetField("_socket", Private)!.GetValue(connection)!;
    }

    /// <summary>The array behind the socket's cached single-buffer receive (or send) arguments, or null when they hold none.</summary>
    public static byte[]? CachedBuffer(Socket socket, SocketAsyncOperation operation)
    {
        string field = operation == SocketAsyncOperation.Send ? "_singleBufferSendEventArgs" : "_singleBufferReceiveEventArgs";
        var args = (SocketAsyncEventArgs?)typeof(Socket).GetField(field, Private)!.GetValue(socket);
        return args is not null && MemoryMarshal.TryGetArray<byte>(args.MemoryBuffer, out var segment) && segment.Count > 0 ? segment.Array : null;
    }

    /// <summary>A listener, one raw connection that has sent <paramref name="request"/> (given the port), and the context made of it.</summary>
    public static async Task<BareExchange> ExchangeAsync(Func<int, string> request, CancellationToken cancellationToken)
    {
        var listener = Start(out int port);
        var client = await RawConnection.OpenAsync(port);
        await client.SendAsync(request(port));
        return new BareExchange(listener, client, port, await listener.GetContextAsync().WaitAsync(cancellationToken));
    }
}

/// <summary>One request on a bare listener: disposing it closes the client's connection and the listener.</summary>
internal sealed record BareExchange(HttpListener Listener, RawConnection Client, int Port, HttpListenerContext Context) : IDisposable
{
    public void Dispose()
    {
        Client.Dispose();
        Listener.Close();
    }
}
