using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace SseFlights.Http;

/// <summary>
/// The managed HttpListener (Linux and macOS) reads every request through an 8 KiB buffer of the
/// connection's own and keeps it for the connection's whole life, though it reads nothing more
/// until the response ends. On an event stream that is the larger half of what each open stream
/// costs. Once the request is read, this lets the buffer go, from both places that hold it: the
/// connection's field, and the socket's cached receive arguments, which still point at the buffer
/// of the last receive (a zero-byte receive takes them over; it waits for data an event stream's
/// client never sends and ends with the connection). Should the connection be kept alive for
/// another request, the listener allocates a new buffer before it reads (it only creates one when
/// it has none). Reaches three private fields, found once at start-up; a runtime without them keeps
/// its buffers and loses nothing else.
/// </summary>
internal static class ConnectionReadBuffer
{
    private static readonly (FieldInfo Connection, FieldInfo Buffer, FieldInfo Socket)? Fields = FindFields(ListenerConnection());

    public static bool IsSupported => Fields is not null;

    /// <summary>Lets go of the connection's read buffer; call only once the request has been read and its body will not be.</summary>
    public static void Release(HttpListenerContext context)
    {
        if (Fields is not { } fields || fields.Connection.GetValue(context) is not { } connection)
        {
            return;
        }

        fields.Buffer.SetValue(connection, null);
        if (fields.Socket.GetValue(connection) is Socket socket)
        {
            _ = socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).AsTask()
                .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    // Kept through a trimmed or Native AOT publish, like the direct body's fields.
    [DynamicDependency("_buffer", "System.Net.HttpConnection", "System.Net.HttpListener")]
    [DynamicDependency("_socket", "System.Net.HttpConnection", "System.Net.HttpListener")]
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)]
    private static Type? ListenerConnection() => Type.GetType("System.Net.HttpConnection, System.Net.HttpListener");

    /// <summary>The context's connection field and the connection's buffer and socket fields, or null when any is missing or has changed.</summary>
    [DynamicDependency("_connection", typeof(HttpListenerContext))]
    internal static (FieldInfo Connection, FieldInfo Buffer, FieldInfo Socket)? FindFields([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)] Type? connectionType)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var connection = typeof(HttpListenerContext).GetField("_connection", Private);
        var buffer = connectionType?.GetField("_buffer", Private);
        var socket = connectionType?.GetField("_socket", Private);
        return connection?.FieldType == connectionType && buffer?.FieldType == typeof(byte[]) && socket?.FieldType == typeof(Socket) && !OperatingSystem.IsWindows()
            ? (connection!, buffer!, socket!)
            : null;
    }
}
