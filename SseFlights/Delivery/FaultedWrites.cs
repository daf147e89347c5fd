using SseFlights.Scenario;

namespace SseFlights.Delivery;

/// <summary>
/// One stream's <see cref="TransportFault"/> at work on its writes, between the writer and the body: each
/// write waits its latency, the bytes go out in pieces no faster than the bandwidth, and after the trigger
/// (frames with an id, the snapshot included, or body bytes) the stream is reset, stalls (nothing more goes
/// out, heartbeats included, yet every write completes, so the stream is not cut as stuck), or sends the first
/// bytes of the next frame and ends. Waits are on the stream's own clock: no thread waits, and only this
/// stream is slowed. Used by the stream's single writer only, which writes frame by frame and reports each.
/// </summary>
/// <param name="reset">Aborts the connection with a TCP reset.</param>
internal sealed class FaultedWrites(TransportFault fault, StreamBody body, TimeProvider time, Random random, Action reset)
{
    private long _written;

    // The timestamp before which the next paced piece may not go: the previous piece's start plus its bytes' time.
    private long _nextPiece;
    private int _events;
    private bool _triggered;
    private bool _resetDue;
    private int? _truncateLeft;
    private bool _ended;

    /// <summary>
    /// The longest a stall holds its connection: it writes nothing, so it would never notice its client leave.
    /// After it the connection is closed, as a client that noticed the stall would have closed it.
    /// </summary>
    public static readonly TimeSpan StallHold = TimeSpan.FromMinutes(5);

    /// <summary>When the stream stalled (a timestamp of its clock), or 0 while it has not.</summary>
    public long StalledAt { get; private set; }

    /// <summary>True once the stream stalls: it is then never ended cleanly, only closed.</summary>
    public bool Stalled => StalledAt != 0;

    /// <summary>
    /// Writes what the fault lets through of the first <paramref name="length"/> bytes of <paramref name="buffer"/>,
    /// each piece through <paramref name="write"/> (the writer's own write, which times it for the stall check),
    /// after the fault's waits, which end at once on <paramref name="cut"/>.
    /// </summary>
    public async ValueTask<long> WriteAsync(WriteBuffer buffer, int length, Func<WriteBuffer, int, ValueTask<long>> write, CancellationToken cut)
    {
        int allowed = Allow(length);
        long done = time.GetTimestamp();
        if (allowed == 0)
        {
            return done;
        }

        if (fault.Latency is { } latency)
        {
            int ms = latency.Ms + (latency.JitterMs == 0 ? 0 : random.Next(-latency.JitterMs, latency.JitterMs + 1));
            await Task.Delay(TimeSpan.FromMilliseconds(ms), time, cut).ConfigureAwait(false);
        }

        if (fault.BytesPerSecond is not { } rate)
        {
            _written += allowed;
            return await write(buffer, allowed).ConfigureAwait(false);
        }

        // Pieces of a tenth of a second's worth, each once the piece before it has had its time: a stream
        // idle for a while gets no credit for it, so no second ever carries more than the rate and a piece.
        int pieceBytes = Math.Max(1, rate / 10);
        for (int at = 0; at < allowed; at += pieceBytes)
        {
            int piece = Math.Min(pieceBytes, allowed - at);
            long start = await PaceAsync(cut).ConfigureAwait(false);
            _nextPiece = start + piece * time.TimestampFrequency / rate;
            var copy = body.Rent(piece);
            try
            {
                buffer.Payload.Slice(at, piece).CopyTo(copy.Payload);
                done = await write(copy, piece).ConfigureAwait(false);
            }
            finally
            {
                StreamBody.Return(copy);
            }

            _written += piece;
        }

        return done;
    }

    /// <summary>
    /// After the writer has written <paramref name="frame"/> (null for the stream's opening <c>retry:</c>): counts
    /// it if it carries an id, and says whether the trigger has come.
    /// </summary>
    private FaultStep AfterFrame(Frame? frame)
    {
        if (_resetDue)
        {
            _resetDue = false;
            _ended = true;
            return FaultStep.Reset;
        }

        if (_truncateLeft is not null && frame is not null && !_ended)
        {
            _ended = true;
            return FaultStep.End;
        }

        _events += frame?.HasId == true ? 1 : 0;
        if (_triggered || fault.End is not { AfterEvents: { } after } end || _events < after)
        {
            return FaultStep.Go;
        }

        _triggered = true;
        switch (end.Cut)
        {
            case FaultCut.Reset:
                _ended = true;
                return FaultStep.Reset;
            case FaultCut.Stall:
                StalledAt = Math.Max(1, time.GetTimestamp());
                return FaultStep.Go;
            default:
                _truncateLeft = end.TruncateBytes;
                return FaultStep.Go;
        }
    }

    /// <summary>
    /// How long a reset waits after the bytes before it: a reset discards what the client has received but not yet
    /// handed on (a browser's EventSource loses an event that arrives with the reset), so the client gets a moment
    /// to read them first, as it would over a real network before a reset arrived.
    /// </summary>
    public static readonly TimeSpan ResetGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// After <paramref name="stream"/>'s writer has written <paramref name="frame"/> (null: the preamble): resets
    /// the connection (after <see cref="ResetGrace"/>) and cuts the stream, or ends it cleanly after a truncated
    /// frame, when the trigger has come. True when the stream was reset: its writer stops.
    /// </summary>
    public async ValueTask<bool> AfterAsync(Frame? frame, IEventSubscriber stream, Serilog.ILogger log, CancellationToken cut)
    {
        switch (AfterFrame(frame))
        {
            case FaultStep.Reset:
                log.Information("Client {ClientId}: its transport fault resets the connection after {Bytes} bytes", stream.ClientId, _written);
                try
                {
                    await Task.Delay(ResetGrace, time, cut).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Cut meanwhile (a drop, a shutdown, the client gone): the connection is closing already.
                    return true;
                }

                reset();
                stream.Cut(StreamEndReason.Fault);
                return true;
            case FaultStep.End:
                log.Information("Client {ClientId}: its transport fault truncated a frame; ending the stream cleanly", stream.ClientId);
                stream.Finish(StreamEndReason.Fault);
                return false;
            default:
                return false;
        }
    }

    /// <summary>How many of the next <paramref name="length"/> bytes go out; the rest are dropped.</summary>
    private int Allow(int length)
    {
        if (_ended || Stalled || _resetDue)
        {
            return 0;
        }

        if (_truncateLeft is { } left)
        {
            int part = Math.Min(left, length);
            _truncateLeft = left - part;
            return part;
        }

        if (fault.End is { Cut: FaultCut.Reset, AfterBytes: { } limit })
        {
            int part = (int)Math.Min(length, limit - _written);
            _resetDue = _written + part >= limit;
            return part;
        }

        return length;
    }

    /// <summary>Waits until the next piece may go; returns when it may (its start, for the one after it).</summary>
    private async ValueTask<long> PaceAsync(CancellationToken cut)
    {
        long now = time.GetTimestamp();
        if (_nextPiece <= now)
        {
            return now;
        }

        await Task.Delay(time.GetElapsedTime(now, _nextPiece), time, cut).ConfigureAwait(false);
        return _nextPiece;
    }
}
