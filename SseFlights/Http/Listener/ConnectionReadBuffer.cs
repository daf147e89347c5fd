using System.Net;
using System.Net.Sockets;

namespace SseFlights.Http.Listener;

/// <summary>
/// The managed HttpListener reads every request through an 8 KiB buffer of the connection's own and
/// keeps it for the connection's whole life, though it reads nothing more until the response ends. On
/// an event stream that is the larger half of what each open stream costs. Once the request is read,
/// this lets the buffer go, from both places that hold it: the connection's field, and the socket's
/// cached receive arguments, which still point at the buffer of the last receive (a zero-byte receive
/// takes them over; it waits for data an event stream's client never sends and ends with the
/// connection). Should the connection be kept alive for another request, the listener allocates a new
/// buffer before it reads (it only creates one when it has none).
/// </summary>
internal static class ConnectionReadBuffer
{
    /// <summary>Lets go of the connection's read buffer; call only once the request has been read and its body will not be.</summary>
    public static void Release(HttpListenerContext context, ListenerInternals internals)
    {
        if (internals.ReadBuffer(context) is not var (connection, buffer, socket))
        {
            return;
        }

        buffer.SetValue(connection, null);
        if (socket is not null)
        {
            _ = socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).AsTask()
                .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
