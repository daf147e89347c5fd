using System.Net;
using Serilog;
using SseFlights.Scenario;

namespace SseFlights.Delivery;

/// <summary>
/// One open stream's delivery: its bounded queue (by frames and by bytes), the wake-up, and its single
/// writer loop, which drains whatever is queued into one buffer and writes it in one call. Nobody else
/// writes to the body. The loop waits without a thread; a fan-out wakes it on one of its few shared
/// work items (see <see cref="FanoutBatch"/>).
/// </summary>
internal sealed class StreamDelivery : IEventSubscriber, IAsyncDisposable
{
    /// <summary>A write gathers queued frames up to this size (more when one frame alone is larger).</summary>
    private const int CoalesceLimit = 8 * 1024;

    private readonly StreamBody _body;
    private readonly StreamLimits _limits;
    private readonly Frame _heartbeat;
    private readonly IDeliveryObserver _observer;
    private readonly ILogger _log;
    private readonly FrameQueue _queue;
    private readonly BodyWriter _writer;
    private readonly StreamEnd _end;
    private readonly long _heartbeatTicks;
    private readonly long _stallTicks;
    private readonly long _stallHoldTicks;

    // A stream with a transport fault writes frame by frame through it.
    private readonly FaultedWrites? _faults;

    /// <param name="fault">This stream's transport fault (bandwidth, latency, a reset, stall or truncation), or null.</param>
    /// <param name="reset">Aborts the connection with a TCP reset, for a fault's reset.</param>
    public StreamDelivery(long clientId, StreamBody body, StreamLimits limits, Frame heartbeat, TimeProvider time, IDeliveryObserver observer, ILogger log, TransportFault? fault = null, Action? reset = null)
    {
        ClientId = clientId;
        (_body, _limits, _heartbeat, _observer, _log) = (body, limits, heartbeat, observer, log);
        _heartbeatTicks = (long)(limits.Heartbeat.TotalSeconds * time.TimestampFrequency);
        _stallTicks = (long)(limits.WriteStall.TotalSeconds * time.TimestampFrequency);
        _stallHoldTicks = (long)(FaultedWrites.StallHold.TotalSeconds * time.TimestampFrequency);
        _queue = new FrameQueue(limits.MaxQueuedEvents, limits.MaxQueuedBytes);
        _end = new StreamEnd(body, _queue);
        _faults = fault is null ? null : new FaultedWrites(fault, body, time, Random.Shared, reset ?? body.Cut);
        _writer = new BodyWriter(body, time, _faults, _end.CutToken);
    }

    public long ClientId { get; }

    public long EventsSent { get; private set; }

    public StreamEndReason EndReason => _end.Reason;

    /// <summary>Completes when the stream has ended and its body is released (or it was declined before it ran).</summary>
    public Task Completion => _end.Completion;

    public Offered Offer(Frame frame) => _end.IsOpen ? _queue.TryWrite(frame) : Offered.Ending;

    public void WakeHere() => _queue.Wake();

    public void WakeOnPool() => _queue.WakeOnPool();

    public void Cut(StreamEndReason reason) => _end.Cut(reason);

    public void Finish(StreamEndReason reason) => _end.Finish(reason);

    /// <summary>For a stream that will never run (refused, 204, or closed unanswered): it counts as ended at once.</summary>
    public void Decline() => _end.Decline();

    public void OnTick(long now)
    {
        if (_faults is { Stalled: true } faults)
        {
            // No heartbeats for a stall (it writes nothing), and no stall check: its writes complete unwritten.
            if (now - faults.StalledAt > _stallHoldTicks)
            {
                _log.Information("Client {ClientId}: its stall has held the connection for {Minutes} minutes; closing it", ClientId, FaultedWrites.StallHold.TotalMinutes);
                Cut(StreamEndReason.Fault);
            }

            return;
        }

        long started = _writer.WriteStarted;
        if (started != 0 && now - started > _stallTicks)
        {
            _log.Warning("Client {ClientId} has not accepted a write for {Seconds}s; disconnecting it", ClientId, _limits.WriteStall.TotalSeconds);
            Cut(StreamEndReason.Stalled);
        }
        else if (started == 0 && _queue.Bytes == 0 && now - _writer.LastWrite >= _heartbeatTicks && Offer(_heartbeat) == Offered.Waiting)
        {
            WakeOnPool();
        }
    }

    /// <summary>
    /// Writes the opening frames, then live frames until the stream ends; never throws for a departed
    /// client. When <paramref name="lifetime"/> (the server's) is cancelled, the stream finishes cleanly
    /// after what is queued. With <paramref name="release"/>, only the preamble goes out until it completes
    /// (or the stream begins to end); the frames offered meanwhile wait in the queue, bounded as ever.
    /// </summary>
    public async Task RunAsync(byte[] preamble, IReadOnlyList<Frame> opening, CancellationToken lifetime = default, Task? release = null)
    {
        bool clean = false;
        using var stopping = lifetime.UnsafeRegister(static state => ((StreamDelivery)state!).Finish(StreamEndReason.Shutdown), this);
        try
        {
            bool closed = await WriteOpeningAsync(preamble, opening, release).ConfigureAwait(false);

            // The async state machine keeps its parameters for the stream's whole life; a resend list can
            // hold a thousand frames, so let it go once written.
            opening = [];
            while (!closed && await _queue.WaitToReadAsync().ConfigureAwait(false))
            {
                closed = await WriteQueuedAsync().ConfigureAwait(false);
            }

            if (closed && !_end.WasCut)
            {
                _end.Closed();

                // The close reaches every stream in one fan-out: this body ends after the fan-out's share
                // has written the close to every stream it holds, not before the next one's.
                await AfterFanout.Yield();
            }

            // A stalled stream never ends cleanly: it stopped writing, the end included.
            clean = !_end.WasCut && _faults?.Stalled != true;
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            _log.Debug("Client {ClientId} write failed: {Error}", ClientId, ex.Message);
        }
        catch (OperationCanceledException) when (_end.WasCut)
        {
            _log.Debug("Client {ClientId} was cut between the pieces of a split frame", ClientId);
        }
        finally
        {
            await _end.ReleaseAsync(clean).ConfigureAwait(false);
            _observer.StreamEnded(_end.Reason);
        }
    }

    /// <summary>Cuts the stream if it is still open and waits until its run has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        Cut(StreamEndReason.Shutdown);
        await Completion.ConfigureAwait(false);
    }

    /// <summary>Writes the preamble and the opening frames; true when the stream is over (the close was among them, or it was cut).</summary>
    private async Task<bool> WriteOpeningAsync(byte[] preamble, IReadOnlyList<Frame> opening, Task? release)
    {
        if (release is not null || _faults is not null)
        {
            // The head and retry: go out at once; then a held stream waits for its release, and a faulted one
            // goes on frame by frame, so its fault can count them.
            long sent = await _writer.WriteAllAsync(preamble, []).ConfigureAwait(false);
            _observer.Written(0, preamble.Length, oldestDue: 0, sent);
            if (release is not null)
            {
                // A drop or a shutdown meanwhile ends the wait: the stream then writes what it holds and ends.
                await Task.WhenAny(release, _end.Ending).ConfigureAwait(false);
            }

            if (_end.WasCut || await ActAsync(null).ConfigureAwait(false))
            {
                return true;
            }

            preamble = [];
        }

        // A split frame among resends is written split, like live: the frames before it go in one write
        // with the preamble, it and those after it one by one.
        int whole = 0;
        while (_faults is null && whole < opening.Count && opening[whole].Split is null)
        {
            whole++;
        }

        // Headers leave with the first body write, so this also tells the client it is connected.
        // Snapshots and resends were due long ago (or never): they count, but not as latency.
        long opened = await _writer.WriteAllAsync(preamble, opening, 0, whole).ConfigureAwait(false);
        EventsSent += whole;
        _observer.Written(whole, preamble.Length + opening.Take(whole).Sum(f => f.Bytes.Length), oldestDue: 0, opened);
        for (int i = whole; i < opening.Count; i++)
        {
            EventsSent++;
            long done = await WriteOneAsync(opening[i]).ConfigureAwait(false);
            _observer.Written(1, opening[i].Bytes.Length, oldestDue: 0, done);
            if (await ActAsync(opening[i]).ConfigureAwait(false))
            {
                return true;
            }
        }

        return opening.Count > 0 && opening[^1].EndsStream;
    }

    /// <summary>What a stream's fault says after <paramref name="frame"/> (null: the preamble); true when it has reset the stream.</summary>
    private async ValueTask<bool> ActAsync(Frame? frame) => _faults is not null && await _faults.AfterAsync(frame, this, _log, _end.CutToken).ConfigureAwait(false);

    /// <summary>Drains the queue into one write; true if the close was among the frames.</summary>
    private async Task<bool> WriteQueuedAsync()
    {
        if (!_queue.TryPeek(out var first))
        {
            return false;
        }

        // A split frame goes out in its pieces; one too big to gather with others, on its own; and with a
        // transport fault every frame goes alone, so the fault can count them.
        if ((_faults is not null || first.Split is not null || first.Bytes.Length > CoalesceLimit) && _queue.TryRead(out var alone))
        {
            int events = Count(alone);
            long done = await WriteOneAsync(alone).ConfigureAwait(false);
            _observer.Written(events, alone.Bytes.Length, alone.Due, done);
            return await ActAsync(alone).ConfigureAwait(false) || alone.EndsStream;
        }

        var buffer = _body.Rent(CoalesceLimit);
        try
        {
            int length = 0, gathered = 0;
            long oldestDue = 0;
            bool ends = false;
            while (!ends && _queue.TryPeek(out var next) && next.Split is null && length + next.Bytes.Length <= buffer.Capacity && _queue.TryRead(out next))
            {
                next.Bytes.CopyTo(buffer.Payload[length..]);
                length += next.Bytes.Length;
                ends = next.EndsStream;
                gathered += Count(next);
                oldestDue = oldestDue == 0 ? next.Due : oldestDue;
            }

            long written = await _writer.WriteAsync(buffer, length).ConfigureAwait(false);
            _observer.Written(gathered, length, oldestDue, written);
            return ends;
        }
        finally
        {
            StreamBody.Return(buffer);
        }
    }

    private Task<long> WriteOneAsync(Frame frame) => frame.Split is { } split
        ? _writer.WriteSplitAsync(frame.Bytes, split.Bytes, TimeSpan.FromMilliseconds(split.DelayMs), _end.CutToken)
        : _writer.WriteAllAsync(frame.Bytes, []);

    /// <summary>1 for a frame with an id (it counts as a delivery), 0 for a heartbeat or another live-only frame.</summary>
    private int Count(Frame frame)
    {
        if (!frame.HasId)
        {
            return 0;
        }

        EventsSent++;
        return 1;
    }
}
