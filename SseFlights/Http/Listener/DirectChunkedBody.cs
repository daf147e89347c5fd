using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using SseFlights.Delivery;

namespace SseFlights.Http.Listener;

/// <summary>
/// Writes the body straight to the connection's stream, framed the way the listener framed the
/// response: chunked for HTTP/1.1, close-delimited (no framing at all) for HTTP/1.0, where the listener
/// sends no Transfer-Encoding and closes the connection to end the body. One non-blocking send per
/// write (<see cref="NativeSend"/>), and what the socket cannot take at once as an asynchronous write:
/// nothing waits on a thread, so a stalled peer costs none and a cut never blocks. The listener still
/// sends the status line and headers with the first write, and still owns the connection afterwards.
/// Reaches the response stream's two private fields through <see cref="ListenerInternals"/>; each
/// buffer leaves room around its payload for the chunk's size line and its closing CRLF.
/// </summary>
internal sealed class DirectChunkedBody(HttpListenerResponse response, ListenerInternals internals) : StreamBody(HeaderRoom, TrailerRoom)
{
    /// <summary>Room for the longest chunk-size line, "ffffffff\r\n".</summary>
    private const int HeaderRoom = 10;

    /// <summary>Room for the CRLF that ends a chunk.</summary>
    private const int TrailerRoom = 2;

    /// <summary>Linux doubles it: 256 KiB in flight per stream, far more than an SSE stream needs.</summary>
    private const int KernelSendBuffer = 128 * 1024;

    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private Stream? _connection;
    private SafeSocketHandle? _socket;
    private Stream? _listenerStream;
    private bool _chunked;

    public override async ValueTask WriteAsync(WriteBuffer buffer, int length)
    {
        if (_connection is null)
        {
            await FirstWriteAsync(buffer, length).ConfigureAwait(false);
            return;
        }

        if (!_chunked)
        {
            await SendAsync(buffer.Array, buffer.Start, length).ConfigureAwait(false);
            return;
        }

        int start = WriteChunkHeader(buffer, length);
        buffer.Array[buffer.Start + length] = (byte)'\r';
        buffer.Array[buffer.Start + length + 1] = (byte)'\n';
        await SendAsync(buffer.Array, start, buffer.Start - start + length + TrailerRoom).ConfigureAwait(false);
    }

    public override async ValueTask EndAsync()
    {
        if (_connection is not null && _chunked)
        {
            // A peer already gone (in a reconnect storm, thousands at once) is closed like a cut, without an exception.
            int sent = 0;
            if (_socket is { } socket)
            {
                var first = NativeSend.TrySend(socket, LastChunk);
                if (first.PeerGone)
                {
                    Cut();
                    return;
                }

                sent = first.Bytes;
            }

            if (sent < LastChunk.Length)
            {
                await SendAsync(LastChunk, sent, LastChunk.Length - sent).ConfigureAwait(false);
            }

            internals.MarkLastChunkSent(_listenerStream!);
        }

        response.Close();
    }

    public override void Cut()
    {
        // With the last chunk marked as sent, closing writes nothing and only closes the socket.
        if (_listenerStream is not null)
        {
            internals.MarkLastChunkSent(_listenerStream);
        }

        response.Abort();
    }

    /// <summary>The first chunk goes through the listener, which sends the headers in the same send; then the connection is ours.</summary>
    private async ValueTask FirstWriteAsync(WriteBuffer buffer, int length)
    {
        _listenerStream = response.OutputStream;
        await _listenerStream.WriteAsync(buffer.Array.AsMemory(buffer.Start, length)).ConfigureAwait(false);

        // The headers are out, so the framing is decided: never assume chunked (an HTTP/1.0 request,
        // such as nginx's default proxy_pass, gets a close-delimited body).
        _chunked = response.SendChunked;
        _connection = internals.ConnectionStream(_listenerStream);
        if (_connection is NetworkStream network)
        {
            // Frames are small and latency matters more than packet count.
            network.Socket.NoDelay = true;

            // Bound what the kernel holds for a peer that stops reading (autotuning would let it reach
            // 4 MiB), so a stalled client is noticed in seconds, not megabytes later.
            network.Socket.SendBufferSize = KernelSendBuffer;
            _socket = internals.NativeSendAvailable ? network.Socket.SafeHandle : null;

            // The socket's send arguments keep the buffer of their last send for the connection's life:
            // here the listener's, with the head and the first chunk (a snapshot's size). A zero-byte
            // write takes them over (through the stream, so a peer gone meanwhile is an IOException like
            // any other write's); later sends use the native call or pooled buffers.
            await network.WriteAsync(ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
        }

        HeaderMemory.Release(response);
    }

    /// <summary>What the socket takes at once goes in one <see cref="NativeSend"/>; the rest, if any, through the stream; a peer gone ends the write with an <see cref="IOException"/>.</summary>
    private ValueTask SendAsync(byte[] buffer, int offset, int count)
    {
        if (_socket is { } socket)
        {
            var sent = NativeSend.TrySend(socket, buffer.AsSpan(offset, count));
            if (sent.Bytes == count)
            {
                return ValueTask.CompletedTask;
            }

            if (sent.PeerGone)
            {
                // The writer's usual end for a client gone, without the stream's costly exception.
                return ValueTask.FromException(new IOException($"The client has gone away: {sent.Reason}"));
            }

            (offset, count) = (offset + sent.Bytes, count - sent.Bytes);
        }

        return _connection!.WriteAsync(buffer.AsMemory(offset, count));
    }

    /// <summary>Writes the hex size line right-aligned in the room before the payload; returns where it starts.</summary>
    private static int WriteChunkHeader(WriteBuffer buffer, int length)
    {
        Span<byte> hex = stackalloc byte[8];
        Utf8Formatter.TryFormat(length, hex, out int digits, new System.Buffers.StandardFormat('x'));
        int start = buffer.Start - digits - 2;
        hex[..digits].CopyTo(buffer.Array.AsSpan(start));
        buffer.Array[buffer.Start - 2] = (byte)'\r';
        buffer.Array[buffer.Start - 1] = (byte)'\n';
        return start;
    }
}
