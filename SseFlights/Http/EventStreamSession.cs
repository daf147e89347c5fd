using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Serilog;
using SseFlights.Broadcast;

namespace SseFlights.Http;

/// <summary>
/// One open /events response and its single writer: a bounded queue (by events and by bytes)
/// that the hub and the ticker offer frames to, and one loop that drains whatever is queued into
/// one buffer and writes it in one call. Nobody else writes to the response.
/// </summary>
internal sealed class EventStreamSession : IEventSubscriber
{
    private const int CoalesceLimit = 64 * 1024;
    private const int Open = 0, Finishing = 1, Cutting = 2;

    private readonly HttpListenerResponse _response;
    private readonly StreamLimits _limits;
    private readonly EncodedEvent _heartbeat;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<EncodedEvent> _queue;
    private readonly long _heartbeatTicks;
    private readonly long _stallTicks;

    private long _queuedBytes;
    private long _lastWrite;
    private long _writeStarted;
    private int _state = Open;
    private int _released;
    private string _endReason = "the client went away";

    public EventStreamSession(long clientId, HttpListenerResponse response, StreamLimits limits, EncodedEvent heartbeat, TimeProvider time, ILogger log)
    {
        ClientId = clientId;
        _response = response;
        _limits = limits;
        _heartbeat = heartbeat;
        _time = time;
        _log = log;
        _heartbeatTicks = (long)(limits.Heartbeat.TotalSeconds * time.TimestampFrequency);
        _stallTicks = (long)(limits.WriteStall.TotalSeconds * time.TimestampFrequency);
        _lastWrite = time.GetTimestamp();

        // One reader, many writers (the hub, the ticker). Continuations run on the pool, never inline
        // in the publisher's loop; a full queue makes TryWrite fail instead of waiting.
        _queue = Channel.CreateBounded<EncodedEvent>(new BoundedChannelOptions(limits.MaxQueuedEvents)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long ClientId { get; }

    public long EventsSent { get; private set; }

    public string EndReason => _endReason;

    public bool Offer(EncodedEvent frame)
    {
        if (Volatile.Read(ref _state) != Open)
        {
            return true;
        }

        long queued = Interlocked.Add(ref _queuedBytes, frame.Bytes.Length);
        bool room = queued == frame.Bytes.Length || queued <= _limits.MaxQueuedBytes;
        if (room && _queue.Writer.TryWrite(frame))
        {
            return true;
        }

        Interlocked.Add(ref _queuedBytes, -frame.Bytes.Length);
        return false;
    }

    public void Cut(string reason)
    {
        if (Interlocked.Exchange(ref _state, Cutting) == Cutting)
        {
            return;
        }

        _endReason = reason;
        _queue.Writer.TryComplete();

        // Also unblocks a write stuck on a peer that stopped reading.
        Release(abort: true);
    }

    public void Finish(string reason)
    {
        if (Interlocked.CompareExchange(ref _state, Finishing, Open) == Open)
        {
            _endReason = reason;
            _queue.Writer.TryComplete();
        }
    }

    public void OnTick(long now)
    {
        long started = Volatile.Read(ref _writeStarted);
        if (started != 0 && now - started > _stallTicks)
        {
            _log.Warning("Client {ClientId} has not accepted a write for {Seconds}s; disconnecting it", ClientId, _limits.WriteStall.TotalSeconds);
            Cut("a write was stuck");
        }
        else if (started == 0 && Volatile.Read(ref _queuedBytes) == 0 && now - Volatile.Read(ref _lastWrite) >= _heartbeatTicks)
        {
            Offer(_heartbeat);
        }
    }

    /// <summary>Writes the opening frames, then live frames until the stream ends; never throws for a departed client.</summary>
    public async Task RunAsync(byte[] retryFrame, IReadOnlyList<EncodedEvent> opening, bool endsAfterOpening)
    {
        try
        {
            await WriteOpeningAsync(retryFrame, opening).ConfigureAwait(false);
            if (endsAfterOpening)
            {
                _endReason = "the board has closed";
                return;
            }

            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (await WriteQueuedAsync(reader).ConfigureAwait(false))
                {
                    _endReason = "the board has closed";
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            _log.Debug("Client {ClientId} write failed: {Error}", ClientId, ex.Message);
        }
        finally
        {
            Release(abort: Volatile.Read(ref _state) == Cutting);
        }
    }

    private async Task WriteOpeningAsync(byte[] retryFrame, IReadOnlyList<EncodedEvent> opening)
    {
        var buffer = new ArrayBufferWriter<byte>(retryFrame.Length + opening.Sum(f => f.Bytes.Length));
        buffer.Write(retryFrame);
        foreach (var frame in opening)
        {
            buffer.Write(frame.Bytes);
            EventsSent++;
        }

        // Headers leave with the first body write, so this also tells the client it is connected.
        await WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>Drains the queue into one write; true if the close event was among the frames.</summary>
    private async Task<bool> WriteQueuedAsync(ChannelReader<EncodedEvent> reader)
    {
        if (!reader.TryRead(out var first))
        {
            return false;
        }

        bool ends = first.EndsStream;
        CountSent(first);
        if (ends || !reader.TryPeek(out _) || first.Bytes.Length >= CoalesceLimit)
        {
            // The common case: one frame, written from the shared bytes with no copy.
            await WriteAsync(first.Bytes).ConfigureAwait(false);
            return ends;
        }

        byte[] pooled = ArrayPool<byte>.Shared.Rent(CoalesceLimit);
        try
        {
            first.Bytes.CopyTo(pooled, 0);
            int length = first.Bytes.Length;
            while (!ends && reader.TryPeek(out var next) && length + next.Bytes.Length <= pooled.Length && reader.TryRead(out next))
            {
                next.Bytes.CopyTo(pooled, length);
                length += next.Bytes.Length;
                ends = next.EndsStream;
                CountSent(next);
            }

            await WriteAsync(pooled.AsMemory(0, length)).ConfigureAwait(false);
            return ends;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    private void CountSent(EncodedEvent frame)
    {
        Interlocked.Add(ref _queuedBytes, -frame.Bytes.Length);
        if (frame.Id > 0 || frame.Name.Length > 0)
        {
            EventsSent++;
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        Volatile.Write(ref _writeStarted, _time.GetTimestamp());
        await _response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        Volatile.Write(ref _writeStarted, 0);
        Volatile.Write(ref _lastWrite, _time.GetTimestamp());
    }

    /// <summary>Ends the response exactly once: cleanly (the chunked body's last chunk) or by closing the connection.</summary>
    private void Release(bool abort)
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        try
        {
            if (abort)
            {
                _response.Abort();
            }
            else
            {
                _response.Close();
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            _response.Abort();
        }
    }
}
