using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace SseFlights.Http;

/// <summary>
/// How an event stream's bytes reach the socket. The caller always leaves <see cref="HeaderRoom"/>
/// bytes before and <see cref="TrailerRoom"/> after its payload, so a body that frames chunks
/// itself can do it in place, with no copy.
/// </summary>
internal abstract class ResponseBody
{
    /// <summary>Room for the longest chunk-size line, "ffffffff\r\n".</summary>
    public const int HeaderRoom = 10;

    /// <summary>Room for the CRLF that ends a chunk.</summary>
    public const int TrailerRoom = 2;

    /// <summary>Writes <c>buffer[HeaderRoom..HeaderRoom + length]</c> as the next part of the body (one chunk, when chunked).</summary>
    public abstract ValueTask WriteChunkAsync(byte[] buffer, int length);

    /// <summary>Ends the body properly (the last chunk, when chunked) and hands the connection back to the listener.</summary>
    public abstract ValueTask EndAsync();

    /// <summary>Closes the connection at once, without another byte, and without ever blocking.</summary>
    public abstract void Cut();

    /// <summary>The body for <paramref name="path"/> (already resolved with <see cref="WritePaths.Effective"/>).</summary>
    public static ResponseBody Open(HttpListenerResponse response, WritePath path) =>
        path == WritePath.Direct ? new DirectChunkedBody(response) : new ListenerStreamBody(response);
}

/// <summary>
/// The listener's own response stream, the fallback. Correct everywhere, but on Linux each write is
/// three socket sends, two of them synchronous, and even Abort() and Close() block, because they
/// write the last chunk synchronously first: a peer that stops reading would pin whichever thread
/// touches the response. So every write and the end run on the pool, and the session waits for
/// them or for a cut, whichever comes first; a cut hands Abort() to the pool as well. The scenario
/// clock and the heartbeat ticker, which cut slow and stalled clients, never wait on one client,
/// and a cut stream leaves at once (a pool thread stays with the stuck write until the peer reads
/// or goes away). Each write copies its bytes, since an abandoned write may still be reading them
/// after the caller's pooled buffer has gone back to the pool.
/// </summary>
internal sealed class ListenerStreamBody(HttpListenerResponse response) : ResponseBody
{
    private static readonly Action<HttpListenerResponse> AbortResponse = static r => r.Abort();

    private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ValueTask WriteChunkAsync(byte[] buffer, int length)
    {
        byte[] bytes = buffer.AsSpan(HeaderRoom, length).ToArray();
        return UnlessCutAsync(Task.Run(() => response.OutputStream.WriteAsync(bytes).AsTask()));
    }

    public override ValueTask EndAsync() => UnlessCutAsync(Task.Run(response.Close));

    public override void Cut()
    {
        if (_cut.TrySetResult())
        {
            ThreadPool.UnsafeQueueUserWorkItem(AbortResponse, response, preferLocal: false);
        }
    }

    private async ValueTask UnlessCutAsync(Task work)
    {
        if (await Task.WhenAny(work, _cut.Task).ConfigureAwait(false) == work)
        {
            await work.ConfigureAwait(false);
            return;
        }

        // Abandoned to the abort: observe its failure so it is never an unobserved exception.
        _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        throw new IOException("the stream was cut while a write was stuck");
    }
}

/// <summary>
/// Writes the body straight to the connection's stream, framed the way the listener framed the
/// response: chunked for HTTP/1.1, close-delimited (no framing at all) for HTTP/1.0, where the
/// listener sends no Transfer-Encoding and closes the connection to end the body. One non-blocking
/// send per write (<see cref="NativeSend"/>), and what the socket cannot take at once as an
/// asynchronous write: nothing waits on a thread, so a stalled peer costs none and a cut never blocks.
/// The listener still sends the status line and headers with the first write, and still owns the
/// connection afterwards (keep-alive or close). Reaches two private fields of the managed
/// HttpListener (Linux and macOS): the response stream's inner stream and its "last chunk sent"
/// flag. <see cref="IsSupported"/> checks them once; a runtime without them falls back to
/// <see cref="ListenerStreamBody"/>, and a test fails loudly so the fallback is never silent.
/// </summary>
internal sealed class DirectChunkedBody : ResponseBody
{
    /// <summary>Linux doubles it: 256 KiB in flight per stream, far more than an SSE stream needs.</summary>
    private const int KernelSendBuffer = 128 * 1024;

    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();
    private static readonly (FieldInfo Inner, FieldInfo TrailerSent)? Fields = FindFields(ListenerResponseStream());

    private readonly HttpListenerResponse _response;
    private Stream? _connection;
    private SafeSocketHandle? _socket;
    private object? _listenerStream;
    private bool _chunked;

    public DirectChunkedBody(HttpListenerResponse response) => _response = response;

    public static bool IsSupported => Fields is not null;

    public override async ValueTask WriteChunkAsync(byte[] buffer, int length)
    {
        if (_connection is null)
        {
            // The first chunk goes through the listener, which sends the headers in the same send.
            _listenerStream = _response.OutputStream;
            await _response.OutputStream.WriteAsync(buffer.AsMemory(HeaderRoom, length)).ConfigureAwait(false);

            // The headers are out, so the framing is decided: never assume chunked (an HTTP/1.0
            // request, such as nginx's default proxy_pass, gets a close-delimited body).
            _chunked = _response.SendChunked;
            _connection = (Stream)Fields!.Value.Inner.GetValue(_listenerStream)!;
            if (_connection is NetworkStream network)
            {
                // Frames are small and latency matters more than packet count.
                network.Socket.NoDelay = true;

                // Bound what the kernel holds for a peer that stops reading (autotuning would let it
                // reach 4 MiB), so a stalled client is noticed in seconds, not megabytes later.
                network.Socket.SendBufferSize = KernelSendBuffer;
                _socket = NativeSend.IsAvailable ? network.Socket.SafeHandle : null;

                // The socket's send arguments keep the buffer of their last send for the connection's
                // life: here the listener's, with the head and the first chunk (a snapshot's size).
                // A zero-byte write takes them over (through the stream, so a peer gone meanwhile is
                // an IOException like any other write's); later sends use the native call or pooled buffers.
                await network.WriteAsync(ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
            }

            HeaderMemory.Release(_response);
            return;
        }

        if (!_chunked)
        {
            await SendAsync(buffer, HeaderRoom, length).ConfigureAwait(false);
            return;
        }

        int start = WriteChunkHeader(buffer, length);
        buffer[HeaderRoom + length] = (byte)'\r';
        buffer[HeaderRoom + length + 1] = (byte)'\n';
        await SendAsync(buffer, start, HeaderRoom - start + length + TrailerRoom).ConfigureAwait(false);
    }

    /// <summary>What the socket takes at once goes in one <see cref="NativeSend"/>; the rest, if any, through the stream.</summary>
    private ValueTask SendAsync(byte[] buffer, int offset, int count)
    {
        if (_socket is { } socket)
        {
            int sent = NativeSend.TrySend(socket, buffer.AsSpan(offset, count));
            if (sent == count)
            {
                return ValueTask.CompletedTask;
            }

            (offset, count) = (offset + sent, count - sent);
        }

        return _connection!.WriteAsync(buffer.AsMemory(offset, count));
    }

    public override async ValueTask EndAsync()
    {
        if (_connection is not null && _chunked)
        {
            await _connection.WriteAsync(LastChunk).ConfigureAwait(false);
            MarkLastChunkSent();
        }

        _response.Close();
    }

    public override void Cut()
    {
        // With the last chunk marked as sent, closing writes nothing and only closes the socket.
        MarkLastChunkSent();
        _response.Abort();
    }

    private void MarkLastChunkSent()
    {
        if (_listenerStream is not null)
        {
            Fields!.Value.TrailerSent.SetValue(_listenerStream, true);
        }
    }

    /// <summary>Writes the hex size line right-aligned in the header room; returns where it starts.</summary>
    private static int WriteChunkHeader(byte[] buffer, int length)
    {
        Span<byte> hex = stackalloc byte[8];
        Utf8Formatter.TryFormat(length, hex, out int digits, new System.Buffers.StandardFormat('x'));
        int start = HeaderRoom - digits - 2;
        hex[..digits].CopyTo(buffer.AsSpan(start));
        buffer[HeaderRoom - 2] = (byte)'\r';
        buffer[HeaderRoom - 1] = (byte)'\n';
        return start;
    }

    // A trimmed or Native AOT build keeps only what code names: these keep the private fields that
    // FindFields looks up by name, so the direct path survives a publish instead of quietly falling back.
    [DynamicDependency("_stream", "System.Net.HttpResponseStream", "System.Net.HttpListener")]
    [DynamicDependency("_trailer_sent", "System.Net.HttpResponseStream", "System.Net.HttpListener")]
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)]
    private static Type? ListenerResponseStream() =>
        // A literal assembly-qualified name lets the trimmer see which type this is (Assembly.GetType would not).
        Type.GetType("System.Net.HttpResponseStream, System.Net.HttpListener");

    /// <summary>The two fields, or null (so streams fall back) when the type or either field is missing or has changed.</summary>
    internal static (FieldInfo Inner, FieldInfo TrailerSent)? FindFields([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)] Type? type)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var inner = type?.GetField("_stream", Private);
        var trailerSent = type?.GetField("_trailer_sent", Private);
        return inner?.FieldType == typeof(Stream) && trailerSent?.FieldType == typeof(bool) && !OperatingSystem.IsWindows()
            ? (inner, trailerSent)
            : null;
    }
}
