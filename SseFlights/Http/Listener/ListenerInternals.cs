using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Serilog;

namespace SseFlights.Http.Listener;

/// <summary>
/// Every private member of .NET's managed HttpListener (Linux and macOS) that SseFlights reaches, and
/// its one native call, found and checked once at start-up and logged once. Each has a fallback that
/// is correct everywhere, only dearer: the listener's own response writer (which can pin a thread on
/// a client that stops reading), keeping each stream's 8 KiB read buffer, and NetworkStream's writes
/// instead of one non-blocking send. Nothing outside this folder names a private member.
/// </summary>
internal sealed class ListenerInternals
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    private readonly (FieldInfo Inner, FieldInfo TrailerSent)? _responseStream;
    private readonly (FieldInfo Connection, FieldInfo Buffer, FieldInfo Socket)? _connection;

    private ListenerInternals(WritePath wanted, (FieldInfo, FieldInfo)? responseStream, (FieldInfo, FieldInfo, FieldInfo)? connection, bool nativeSend)
    {
        Wanted = wanted;
        _responseStream = responseStream;
        _connection = connection;
        NativeSendAvailable = nativeSend;
    }

    /// <summary>What this runtime offers, and the write path asked for (the <c>SSEFLIGHTS_WRITE_PATH</c> switch).</summary>
    public static ListenerInternals Probe(WritePath wanted) => new(
        wanted,
        FindResponseStreamFields(ResponseStreamType()),
        FindConnectionFields(ConnectionType()),
        NativeSend.Probe());

    /// <summary>None of the internals: every fallback, as on a runtime that lacks them (for the fallback's own tests).</summary>
    public static ListenerInternals Fallbacks { get; } = new(WritePath.Listener, null, null, nativeSend: false);

    public WritePath Wanted { get; }

    /// <summary>The write path streams really use: the direct one needs the response stream's two fields.</summary>
    public WritePath WritePath => Wanted == WritePath.Direct && _responseStream is not null ? WritePath.Direct : WritePath.Listener;

    public bool DirectWritesFound => _responseStream is not null;

    public bool ReadBufferReleasable => _connection is not null;

    public bool NativeSendAvailable { get; }

    /// <summary>Says once, at start, which path streams use and what the fallbacks cost.</summary>
    public void Describe(ILogger log)
    {
        if (WritePath == WritePath.Direct)
        {
            log.Information(NativeSendAvailable
                ? "Event streams use the direct write path: one non-blocking send per write, straight to the connection"
                : "Event streams use the direct write path: one asynchronous send per write, straight to the connection (libc's send is not available here)");
        }
        else if (Wanted == WritePath.Direct)
        {
            log.Warning("This runtime's HttpListener lacks the internals for direct chunk writes; streams use its own writer, and a client that stops reading can hold a thread");
        }
        else
        {
            log.Information("Event streams use the listener's own writer ({Variable}=listener); a client that stops reading can hold a pool thread", WritePaths.Variable);
        }

        if (!ReadBufferReleasable)
        {
            log.Warning("This runtime's HttpListener lacks the internals to release a stream's read buffer; each open stream keeps 8 KiB more");
        }
    }

    /// <summary>
    /// Closes a request's connection without a byte of answer, so a client (or nginx's
    /// proxy_next_upstream) takes it as a lost connection and tries again, on another replica: every
    /// status but 200 is final to EventSource, and a 200 without an event stream fails it too. The
    /// listener's own Abort() is no such thing: it sends "200 OK" and an empty body first. So the
    /// socket is closed under the listener, and Abort() then finds nothing to write to and only tidies
    /// up. Without the internals, Abort() is all there is.
    /// </summary>
    public void CloseUnanswered(HttpListenerContext context)
    {
        if (_connection is { } fields && fields.Connection.GetValue(context) is { } connection && fields.Socket.GetValue(connection) is Socket socket)
        {
            socket.Close();
        }

        context.Response.Abort();
    }

    /// <summary>
    /// Aborts a request's connection with a TCP reset rather than a clean close (a transport fault): the
    /// socket lingers for 0 s, so closing it sends RST and drops whatever is unsent. The socket is closed under
    /// the listener, as in <see cref="CloseUnanswered"/>; the response's own abort then only tidies up.
    /// Without the internals there is no socket to reach, and the abort that follows closes it the usual way.
    /// </summary>
    public void Reset(HttpListenerContext context)
    {
        if (_connection is { } fields && fields.Connection.GetValue(context) is { } connection && fields.Socket.GetValue(connection) is Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The peer is gone already: there is nothing left to reset.
            }

            socket.Close();
        }
    }

    /// <summary>The connection's own stream under a response stream (the direct path only).</summary>
    public Stream ConnectionStream(Stream responseStream) => (Stream)_responseStream!.Value.Inner.GetValue(responseStream)!;

    /// <summary>Marks a response stream's last chunk as sent, so closing it writes nothing more (the direct path only).</summary>
    public void MarkLastChunkSent(Stream responseStream) => _responseStream!.Value.TrailerSent.SetValue(responseStream, true);

    /// <summary>The connection's read buffer and socket, to let the buffer go; null when this runtime lacks them.</summary>
    public (object Connection, FieldInfo Buffer, Socket? Socket)? ReadBuffer(HttpListenerContext context) =>
        _connection is { } fields && fields.Connection.GetValue(context) is { } connection
            ? (connection, fields.Buffer, fields.Socket.GetValue(connection) as Socket)
            : null;

    // A trimmed or Native AOT build keeps only what code names: these keep the private fields looked up
    // by name, so the direct path survives a publish instead of quietly falling back.
    [DynamicDependency("_stream", "System.Net.HttpResponseStream", "System.Net.HttpListener")]
    [DynamicDependency("_trailer_sent", "System.Net.HttpResponseStream", "System.Net.HttpListener")]
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)]
    private static Type? ResponseStreamType() =>
        // A literal assembly-qualified name lets the trimmer see which type this is (Assembly.GetType would not).
        Type.GetType("System.Net.HttpResponseStream, System.Net.HttpListener");

    [DynamicDependency("_buffer", "System.Net.HttpConnection", "System.Net.HttpListener")]
    [DynamicDependency("_socket", "System.Net.HttpConnection", "System.Net.HttpListener")]
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)]
    private static Type? ConnectionType() => Type.GetType("System.Net.HttpConnection, System.Net.HttpListener");

    /// <summary>The response stream's inner stream and "last chunk sent" flag, or null when the type or either field is missing or has changed.</summary>
    internal static (FieldInfo Inner, FieldInfo TrailerSent)? FindResponseStreamFields([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)] Type? type)
    {
        var inner = type?.GetField("_stream", Private);
        var trailerSent = type?.GetField("_trailer_sent", Private);
        return inner?.FieldType == typeof(Stream) && trailerSent?.FieldType == typeof(bool) && !OperatingSystem.IsWindows()
            ? (inner, trailerSent)
            : null;
    }

    /// <summary>The context's connection field and the connection's buffer and socket fields, or null when any is missing or has changed.</summary>
    [DynamicDependency("_connection", typeof(HttpListenerContext))]
    internal static (FieldInfo Connection, FieldInfo Buffer, FieldInfo Socket)? FindConnectionFields([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)] Type? connectionType)
    {
        var connection = typeof(HttpListenerContext).GetField("_connection", Private);
        var buffer = connectionType?.GetField("_buffer", Private);
        var socket = connectionType?.GetField("_socket", Private);
        return connection?.FieldType == connectionType && buffer?.FieldType == typeof(byte[]) && socket?.FieldType == typeof(Socket) && !OperatingSystem.IsWindows()
            ? (connection!, buffer!, socket!)
            : null;
    }
}
