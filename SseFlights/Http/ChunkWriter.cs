using System.Buffers;
using SseFlights.Broadcast;
using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>
/// Puts one stream's bytes on its <see cref="ResponseBody"/>, always through pooled buffers of at
/// most <see cref="MaxBuffer"/> bytes: a resend of a thousand events, a large snapshot or a 1 MiB
/// frame goes out as several writes rather than as one buffer of its own size, so a reconnect
/// storm never rents or allocates an array big enough for the large-object heap (whose arrays are
/// only collected with gen 2). Records when each write started and ended, for the stall check and
/// the heartbeat. Used by the stream's single writer only.
/// </summary>
internal sealed class ChunkWriter(ResponseBody body, TimeProvider time)
{
    /// <summary>The largest buffer rented: a power of two (what the pool hands out) well under the 85,000-byte large-object threshold.</summary>
    public const int MaxBuffer = 64 * 1024;

    /// <summary>The most payload one write carries.</summary>
    public const int MaxPayload = MaxBuffer - ResponseBody.HeaderRoom - ResponseBody.TrailerRoom;

    private long _writeStarted;
    private long _lastWrite = time.GetTimestamp();

    /// <summary>When the write in progress started, or 0 when none is.</summary>
    public long WriteStarted => Volatile.Read(ref _writeStarted);

    /// <summary>When the last write completed (or the stream opened).</summary>
    public long LastWrite => Volatile.Read(ref _lastWrite);

    /// <summary>Rents a buffer with room for <paramref name="payload"/> bytes (at most <see cref="MaxPayload"/>) plus the chunk framing.</summary>
    public static byte[] Rent(int payload) =>
        ArrayPool<byte>.Shared.Rent(ResponseBody.HeaderRoom + Math.Min(payload, MaxPayload) + ResponseBody.TrailerRoom);

    /// <summary>The payload room of a buffer from <see cref="Rent"/>.</summary>
    public static int Room(byte[] buffer) => Math.Min(buffer.Length - ResponseBody.HeaderRoom - ResponseBody.TrailerRoom, MaxPayload);

    /// <summary>
    /// Writes <paramref name="first"/> and then every frame's bytes, gathered into as few writes as
    /// the buffer allows (a frame may straddle two writes: chunks are not frames). Returns when the
    /// last write completed.
    /// </summary>
    public async Task<long> WriteAllAsync(byte[] first, IReadOnlyList<EncodedEvent> frames, int start = 0, int count = -1)
    {
        int end = count < 0 ? frames.Count : start + count;
        long total = first.Length;
        for (int i = start; i < end; i++)
        {
            total += frames[i].Bytes.Length;
        }

        if (total == 0)
        {
            return LastWrite;
        }

        byte[] buffer = Rent((int)Math.Min(total, MaxPayload));
        try
        {
            int room = Room(buffer), length = 0;
            long done = 0;
            for (int i = start - 1; i < end; i++)
            {
                byte[] bytes = i < start ? first : frames[i].Bytes;
                for (int at = 0; at < bytes.Length;)
                {
                    int piece = Math.Min(room - length, bytes.Length - at);
                    bytes.AsSpan(at, piece).CopyTo(buffer.AsSpan(ResponseBody.HeaderRoom + length));
                    (length, at) = (length + piece, at + piece);
                    if (length == room)
                    {
                        done = await WriteAsync(buffer, length).ConfigureAwait(false);
                        length = 0;
                    }
                }
            }

            // Never an empty write: to a chunked body that would be the last chunk.
            return length > 0 ? await WriteAsync(buffer, length).ConfigureAwait(false) : done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> in pieces of <see cref="FrameSplit.Bytes"/>, one write (one
    /// chunk) each, pausing between them on this stream's own clock: only this client waits.
    /// </summary>
    public async Task<long> WriteSplitAsync(byte[] bytes, FrameSplit split, CancellationToken cut)
    {
        byte[] buffer = Rent(Math.Min(split.Bytes, bytes.Length));
        try
        {
            int room = Room(buffer);
            long done = 0;
            for (int at = 0; at < bytes.Length; at += split.Bytes)
            {
                if (at > 0 && split.DelayMs > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(split.DelayMs), time, cut).ConfigureAwait(false);
                }

                // A piece larger than the buffer goes out as back-to-back writes: the pause is between pieces.
                int piece = Math.Min(split.Bytes, bytes.Length - at);
                for (int sent = 0; sent < piece; sent += room)
                {
                    int write = Math.Min(room, piece - sent);
                    bytes.AsSpan(at + sent, write).CopyTo(buffer.AsSpan(ResponseBody.HeaderRoom));
                    done = await WriteAsync(buffer, write).ConfigureAwait(false);
                }
            }

            return done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes one chunk of a buffer from <see cref="Rent"/>; returns the timestamp at which the write
    /// completed. A ValueTask: this is once per delivery, and a send to a socket with room completes
    /// synchronously, so nothing is allocated (a Task&lt;long&gt; of a timestamp is never a cached one).
    /// </summary>
    public async ValueTask<long> WriteAsync(byte[] buffer, int length)
    {
        Volatile.Write(ref _writeStarted, time.GetTimestamp());
        await body.WriteChunkAsync(buffer, length).ConfigureAwait(false);
        Volatile.Write(ref _writeStarted, 0);
        long done = time.GetTimestamp();
        Volatile.Write(ref _lastWrite, done);
        return done;
    }
}
