using System.Buffers;
using System.Net;
using Serilog;
using SseFlights.Broadcast;
using SseFlights.Metrics;
using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>
/// One open /events response and its single writer: a bounded queue (by events and by bytes)
/// that the hub and the ticker offer frames to, and one loop that drains whatever is queued into
/// one buffer and writes it in one call. Nobody else writes to the response. The loop waits without
/// a thread; a fan-out wakes it on one of its few shared work items (see <see cref="FanoutBatch"/>).
/// </summary>
internal sealed class EventStreamSession : IEventSubscriber, IAsyncDisposable
{
    /// <summary>A write gathers queued frames up to this size (more when one frame alone is larger).</summary>
    private const int CoalesceLimit = 8 * 1024;
    private const int Open = 0, Finishing = 1, Cutting = 2;

    private readonly ResponseBody _body;
    private readonly StreamLimits _limits;
    private readonly EncodedEvent _heartbeat;
    private readonly TimeProvider _time;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;
    private readonly FrameQueue _queue;

    // Cancelled by a cut, so a split frame's pause between pieces ends at once.
    private readonly CancellationTokenSource _cutSource = new();
    private readonly long _heartbeatTicks;
    private readonly long _stallTicks;

    private readonly ChunkWriter _writer;

    private long _queuedBytes;
    private int _state = Open;
    private int _released;

    // Completes when the run has released the response, however it ended.
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamEndReason _endReason = StreamEndReason.Dead;

    public EventStreamSession(long clientId, ResponseBody body, StreamLimits limits, EncodedEvent heartbeat, TimeProvider time, ServerMetrics metrics, ILogger log)
    {
        ClientId = clientId;
        _body = body;
        _limits = limits;
        _heartbeat = heartbeat;
        _time = time;
        _metrics = metrics;
        _log = log;
        _heartbeatTicks = (long)(limits.Heartbeat.TotalSeconds * time.TimestampFrequency);
        _stallTicks = (long)(limits.WriteStall.TotalSeconds * time.TimestampFrequency);
        _writer = new ChunkWriter(body, time);

        // One reader, many writers (the hub, the ticker); a full queue makes TryWrite fail instead of waiting.
        _queue = new FrameQueue(limits.MaxQueuedEvents);
    }

    public long ClientId { get; }

    public long EventsSent { get; private set; }

    public StreamEndReason EndReason => _endReason;

    public bool Offer(EncodedEvent frame, FanoutBatch? batch = null)
    {
        if (Volatile.Read(ref _state) != Open)
        {
            return true;
        }

        long queued = Interlocked.Add(ref _queuedBytes, frame.Bytes.Length);
        bool room = queued == frame.Bytes.Length || queued <= _limits.MaxQueuedBytes || queued - OldestQueuedBytes() <= _limits.MaxQueuedBytes;
        if (room && _queue.TryWrite(frame, out bool wake))
        {
            if (wake)
            {
                WakeWriter(batch);
            }

            return true;
        }

        Interlocked.Add(ref _queuedBytes, -frame.Bytes.Length);
        return false;
    }

    /// <summary>
    /// The frame the writer takes next does not count against the byte bound: one frame larger than
    /// the bound (a 1 MiB event) followed by another before the writer woke is not a slow client.
    /// Only asked when the bound is already exceeded, so the usual offer never takes the queue's lock.
    /// </summary>
    private long OldestQueuedBytes() => _queue.TryPeek(out var oldest) ? oldest.Bytes.Length : 0;

    public void Cut(StreamEndReason reason)
    {
        if (Interlocked.Exchange(ref _state, Cutting) == Cutting)
        {
            return;
        }

        _endReason = reason;
        CompleteQueue();

        // Also ends a write stuck on a peer that stopped reading; the writer loop then finds it released.
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _body.Cut();
        }

        _cutSource.Cancel();
    }

    public void Finish(StreamEndReason reason)
    {
        if (Interlocked.CompareExchange(ref _state, Finishing, Open) == Open)
        {
            _endReason = reason;
            CompleteQueue();
        }
    }

    public void OnTick(long now)
    {
        long started = _writer.WriteStarted;
        if (started != 0 && now - started > _stallTicks)
        {
            _log.Warning("Client {ClientId} has not accepted a write for {Seconds}s; disconnecting it", ClientId, _limits.WriteStall.TotalSeconds);
            Cut(StreamEndReason.Stalled);
        }
        else if (started == 0 && Volatile.Read(ref _queuedBytes) == 0 && now - _writer.LastWrite >= _heartbeatTicks)
        {
            Offer(_heartbeat);
        }
    }

    /// <summary>Completes when the stream has ended and its response is released.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Writes the opening frames, then live frames until the stream ends; never throws for a
    /// departed client. When <paramref name="lifetime"/> (the server's) is cancelled, the stream
    /// finishes cleanly after what is queued.
    /// </summary>
    public async Task RunAsync(byte[] retryFrame, IReadOnlyList<EncodedEvent> opening, bool endsAfterOpening, CancellationToken lifetime = default)
    {
        bool clean = false;
        using var stopping = lifetime.UnsafeRegister(static state => ((EventStreamSession)state!).Finish(StreamEndReason.Shutdown), this);
        try
        {
            await WriteOpeningAsync(retryFrame, opening).ConfigureAwait(false);

            // The async state machine keeps its parameters for the stream's whole life; a resend list
            // can hold a thousand frames, so let it go once written.
            opening = [];
            if (endsAfterOpening)
            {
                _endReason = StreamEndReason.Closed;
                clean = true;
                return;
            }

            while (await _queue.WaitToReadAsync().ConfigureAwait(false))
            {
                if (await WriteQueuedAsync(_queue).ConfigureAwait(false))
                {
                    _endReason = StreamEndReason.Closed;

                    // The close reaches every stream in one fan-out: this response ends after the fan-out's
                    // share has written the close to every stream it holds, not before the next one's.
                    await AfterFanout.Yield();
                    break;
                }
            }

            clean = Volatile.Read(ref _state) != Cutting;
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            _log.Debug("Client {ClientId} write failed: {Error}", ClientId, ex.Message);
        }
        catch (OperationCanceledException) when (_cutSource.IsCancellationRequested)
        {
            _log.Debug("Client {ClientId} was cut between the pieces of a split frame", ClientId);
        }
        finally
        {
            await ReleaseAsync(clean).ConfigureAwait(false);
            _completion.TrySetResult();
        }
    }

    /// <summary>Cuts the stream if it is still open and waits until its run has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        Cut(StreamEndReason.Shutdown);
        await Completion.ConfigureAwait(false);
    }

    private async Task WriteOpeningAsync(byte[] retryFrame, IReadOnlyList<EncodedEvent> opening)
    {
        // A split frame among resends is written split, like live: the frames before it go in one
        // write with the preamble, it and those after it one by one.
        int whole = 0;
        while (whole < opening.Count && opening[whole].Split is null)
        {
            whole++;
        }

        // Headers leave with the first body write, so this also tells the client it is connected.
        // Snapshots and resends were due long ago (or never): they count, but not as latency.
        long opened = await _writer.WriteAllAsync(retryFrame, opening, 0, whole).ConfigureAwait(false);
        EventsSent += whole;
        _metrics.Written(whole, retryFrame.Length + opening.Take(whole).Sum(f => f.Bytes.Length), oldestDue: 0, opened);
        for (int i = whole; i < opening.Count; i++)
        {
            EventsSent++;
            long done = opening[i].Split is { } split
                ? await _writer.WriteSplitAsync(opening[i].Bytes, split, _cutSource.Token).ConfigureAwait(false)
                : await _writer.WriteAllAsync(opening[i].Bytes, []).ConfigureAwait(false);
            _metrics.Written(1, opening[i].Bytes.Length, oldestDue: 0, done);
        }
    }

    /// <summary>Drains the queue into one write; true if the close event was among the frames.</summary>
    private async Task<bool> WriteQueuedAsync(FrameQueue reader)
    {
        if (!reader.TryPeek(out var first))
        {
            return false;
        }

        if (first.Split is { } split && reader.TryRead(out var whole))
        {
            int events = CountSent(whole);
            long done = await _writer.WriteSplitAsync(whole.Bytes, split, _cutSource.Token).ConfigureAwait(false);
            _metrics.Written(events, whole.Bytes.Length, whole.Due, done);
            return whole.EndsStream;
        }

        if (first.Bytes.Length > CoalesceLimit && reader.TryRead(out var large))
        {
            // Too big to gather with others: it goes out on its own, in as many writes as it takes.
            int events = CountSent(large);
            long done = await _writer.WriteAllAsync(large.Bytes, []).ConfigureAwait(false);
            _metrics.Written(events, large.Bytes.Length, large.Due, done);
            return large.EndsStream;
        }

        byte[] buffer = ChunkWriter.Rent(CoalesceLimit);
        int room = ChunkWriter.Room(buffer);
        try
        {
            int length = 0, events = 0;
            long oldestDue = 0;
            bool ends = false;
            while (!ends && reader.TryPeek(out var next) && next.Split is null && length + next.Bytes.Length <= room && reader.TryRead(out next))
            {
                next.Bytes.CopyTo(buffer, ResponseBody.HeaderRoom + length);
                length += next.Bytes.Length;
                ends = next.EndsStream;
                events += CountSent(next);
                if (oldestDue == 0)
                {
                    oldestDue = next.Due;
                }
            }

            long done = await _writer.WriteAsync(buffer, length).ConfigureAwait(false);
            _metrics.Written(events, length, oldestDue, done);
            return ends;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A fan-out's batch wakes the writer once the hub lets go of its lock; anyone else's offer wakes it on the pool.</summary>
    private void WakeWriter(FanoutBatch? batch)
    {
        if (batch is null)
        {
            _queue.WakeOnPool();
        }
        else
        {
            batch.Wake(_queue);
        }
    }

    /// <summary>No more frames: the writer, if it waits, wakes on the pool to write what is queued (or find the cut) and end.</summary>
    private void CompleteQueue()
    {
        if (_queue.Complete())
        {
            _queue.WakeOnPool();
        }
    }

    /// <summary>Takes a dequeued frame off the byte count; returns 1 if it is an event, 0 for a heartbeat.</summary>
    private int CountSent(EncodedEvent frame)
    {
        Interlocked.Add(ref _queuedBytes, -frame.Bytes.Length);
        if (frame.Kind != FrameKind.Event)
        {
            return 0;
        }

        EventsSent++;
        return 1;
    }

    /// <summary>Ends the response exactly once: cleanly (the chunked body's last chunk) or by closing the connection.</summary>
    private async Task ReleaseAsync(bool clean)
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        try
        {
            if (clean)
            {
                await _body.EndAsync().ConfigureAwait(false);
            }
            else
            {
                _body.Cut();
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            _body.Cut();
        }
    }
}
