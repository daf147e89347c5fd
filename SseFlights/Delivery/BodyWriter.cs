namespace SseFlights.Delivery;

/// <summary>
/// Puts one stream's bytes on its <see cref="StreamBody"/>, always through the body's pooled buffers:
/// a resend of a thousand events, a large snapshot or a 1 MiB frame goes out as several writes rather
/// than as one buffer of its own size. Records when each write started and ended, for the stall check
/// and the heartbeat; a stream with a transport fault writes through its <see cref="FaultedWrites"/>, whose
/// waits end on <paramref name="cut"/>. Used by the stream's single writer only.
/// </summary>
internal sealed class BodyWriter(StreamBody body, TimeProvider time, FaultedWrites? faults = null, CancellationToken cut = default)
{
    private long _writeStarted;
    private long _lastWrite = time.GetTimestamp();

    /// <summary>When the write in progress started, or 0 when none is.</summary>
    public long WriteStarted => Volatile.Read(ref _writeStarted);

    /// <summary>When the last write completed (or the stream opened).</summary>
    public long LastWrite => Volatile.Read(ref _lastWrite);

    /// <summary>
    /// Writes <paramref name="first"/> and then each of <paramref name="frames"/>' bytes, gathered into as
    /// few writes as the buffer allows (a frame may straddle two writes: chunks are not frames). Returns
    /// when the last write completed.
    /// </summary>
    public async Task<long> WriteAllAsync(byte[] first, IReadOnlyList<Frame> frames, int start = 0, int count = -1)
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

        var buffer = body.Rent((int)Math.Min(total, StreamBody.MaxBuffer));
        try
        {
            int length = 0;
            long done = 0;
            for (int i = start - 1; i < end; i++)
            {
                byte[] bytes = i < start ? first : frames[i].Bytes;
                for (int at = 0; at < bytes.Length;)
                {
                    int piece = Math.Min(buffer.Capacity - length, bytes.Length - at);
                    bytes.AsSpan(at, piece).CopyTo(buffer.Payload[length..]);
                    (length, at) = (length + piece, at + piece);
                    if (length == buffer.Capacity)
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
            StreamBody.Return(buffer);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> in pieces of <paramref name="pieceBytes"/>, one write each, pausing
    /// <paramref name="pause"/> between them on this stream's own clock: only this client waits.
    /// </summary>
    public async Task<long> WriteSplitAsync(byte[] bytes, int pieceBytes, TimeSpan pause, CancellationToken cut)
    {
        var buffer = body.Rent(Math.Min(pieceBytes, bytes.Length));
        try
        {
            long done = 0;
            for (int at = 0; at < bytes.Length; at += pieceBytes)
            {
                if (at > 0 && pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, time, cut).ConfigureAwait(false);
                }

                // A piece larger than the buffer goes out as back-to-back writes: the pause is between pieces.
                int piece = Math.Min(pieceBytes, bytes.Length - at);
                for (int sent = 0; sent < piece; sent += buffer.Capacity)
                {
                    int write = Math.Min(buffer.Capacity, piece - sent);
                    bytes.AsSpan(at + sent, write).CopyTo(buffer.Payload);
                    done = await WriteAsync(buffer, write).ConfigureAwait(false);
                }
            }

            return done;
        }
        finally
        {
            StreamBody.Return(buffer);
        }
    }

    /// <summary>
    /// Writes the first <paramref name="length"/> payload bytes of <paramref name="buffer"/>; returns the
    /// timestamp at which the write completed. A ValueTask: this is once per delivery, and a send to a
    /// socket with room completes synchronously, so nothing is allocated.
    /// </summary>
    public ValueTask<long> WriteAsync(WriteBuffer buffer, int length) =>
        faults is null ? WriteNowAsync(buffer, length) : faults.WriteAsync(buffer, length, _writeNow ??= WriteNowAsync, cut);

    // The delegate a faulted stream's writes go through, made once rather than on every write.
    private Func<WriteBuffer, int, ValueTask<long>>? _writeNow;

    /// <summary>One write to the body, timed: a write in progress too long is a stalled client (the fault's own waits are not).</summary>
    private async ValueTask<long> WriteNowAsync(WriteBuffer buffer, int length)
    {
        Volatile.Write(ref _writeStarted, time.GetTimestamp());
        await body.WriteAsync(buffer, length).ConfigureAwait(false);
        Volatile.Write(ref _writeStarted, 0);
        long done = time.GetTimestamp();
        Volatile.Write(ref _lastWrite, done);
        return done;
    }
}
