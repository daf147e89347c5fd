using System.Net.Sockets;

namespace SseFlights.Bench.Load;

/// <summary>One EventSource-like client on a raw socket: connects, reads the stream with one 4 KiB
/// buffer and an awaited receive loop, checks ids (gaps, duplicates), records latency against each
/// event's due time, and on a cut stream reconnects with Last-Event-ID: at once, or in a soak after
/// the server's <c>retry:</c> as a browser does. A stalled client reads up to its snapshot and then never again.</summary>
internal sealed class StreamClient : ISseFrameSink
{
    private const int BufferBytes = 4096;
    // Guards the modes that reconnect at once against a server that cuts every stream it opens;
    // a soak client waits the server's retry each time, which bounds it instead.
    private const int MaxReconnects = 1000;
    private static readonly TimeSpan ReconnectBackoff = TimeSpan.FromMilliseconds(100);
    // WHATWG HTML §9.2.2: the initial reconnection time is implementation-defined; browsers use about 3 s.
    private const long DefaultRetryMilliseconds = 3000;

    private readonly LoadContext _context;
    private readonly bool _stalled;
    private readonly SseResponseParser _parser;
    private readonly byte[] _buffer = new byte[BufferBytes];
    // Kept across reconnects; null: the kernel's choice (see LoadContext.SourceAddresses).
    private readonly System.Net.IPAddress? _source;
    private Socket? _socket;
    private long _lastId = -1;
    private bool _snapshotSeen;
    private bool _closedSeen;
    private bool _everConnected;
    // The stream's reconnection time, kept across connections as an EventSource keeps it (-1: none sent).
    private long _retryMilliseconds = -1;

    public StreamClient(LoadContext context, bool stalled)
    {
        _context = context;
        _stalled = stalled;
        _parser = new SseResponseParser(this);
        _source = context.NextSourceAddress();
        Tally = context.ReconnectAfterRetry && !stalled ? new ReconnectTally(context) : null;
    }

    /// <summary>The soak's books on this client's reconnects in the window; null outside a soak.</summary>
    public ReconnectTally? Tally { get; }

    /// <summary>The last <c>retry:</c> the server sent this client, in milliseconds (-1: none).</summary>
    public long RetryMilliseconds => _retryMilliseconds;

    public long LastId => Volatile.Read(ref _lastId);

    public bool EverConnected => _everConnected;

    /// <summary>Timestamp of the first successful connect (head and snapshot received).</summary>
    public long ConnectedAt { get; private set; }

    public long Events { get; private set; }
    /// <summary>Socket reads that returned data: with <see cref="Events"/>, how finely the server split its writes.</summary>
    public long Reads { get; private set; }
    public long Gaps { get; private set; }
    public long Duplicates { get; private set; }
    public long UnknownIds { get; private set; }
    public long WindowDeliveries { get; private set; }
    public long WindowEvents { get; private set; }
    public long EarlyEvents { get; private set; }
    public long MaxLatencyMicroseconds { get; private set; }
    /// <summary>Most negative (early) or least latency seen; long.MaxValue until a window event arrives.</summary>
    public long MinLatencyMicroseconds { get; private set; } = long.MaxValue;
    public int Cuts { get; private set; }
    public int Reconnects { get; private set; }
    public int ReconnectFailures { get; private set; }

    /// <summary>Whether a cut of this client's stream was seen at or after the timed drop.</summary>
    public bool CutByDrop { get; private set; }

    /// <summary>Arrival of the first event after the timed drop (0 until then).</summary>
    public long CaughtUpAt { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        bool resume = false;
        while (!ct.IsCancellationRequested && !_context.Stopping)
        {
            Outcome outcome = await RunConnectionAsync(resume, ct);
            if (!_everConnected)
            {
                _context.ReportFailed();
                return;
            }
            if (outcome is Outcome.Finished or Outcome.Stopped || _stalled) return;
            Tally?.Ended(failed: resume && outcome == Outcome.Failed);
            if (Tally is null && Reconnects >= MaxReconnects) return;
            if (outcome == Outcome.Failed) ReconnectFailures++;
            else
            {
                Cuts++;
                if (WallClock.Now() >= _context.DropTimestamp) CutByDrop = true;
            }
            TimeSpan? wait = Tally is not null
                ? TimeSpan.FromMilliseconds(_retryMilliseconds >= 0 ? _retryMilliseconds : DefaultRetryMilliseconds)
                : outcome == Outcome.Failed ? ReconnectBackoff : null;
            if (wait is { } delay && delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            Reconnects++;
            Tally?.Start(WallClock.Now(), LastId);
            resume = true;
        }
    }

    /// <summary>Closes the socket (with a reset, so no TIME_WAIT piles up); a pending read ends.</summary>
    public void Close() => Interlocked.Exchange(ref _socket, null)?.Dispose();

    /// <summary>For a stalled client at the end of a run: reads what the server queued and still
    /// sends, for up to <paramref name="limit"/>, and says whether the server had closed the stream.</summary>
    public async Task<bool> DrainFindsClosedAsync(TimeSpan limit)
    {
        Socket? socket = _socket;
        if (socket is null) return true;
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(_buffer, SocketFlags.None, deadline.Token) == 0) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false; // Still open: the server was still sending, or silent.
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private async Task<Outcome> RunConnectionAsync(bool resume, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            LingerState = new LingerOption(true, 0),
        };
        // A stalled client advertises a 2 KiB window and an 88-byte MSS: the server's kernel then sizes
        // its send buffer for it near 38 KB instead of loopback's 4 MB, so it fills within seconds at
        // 10 events/s rather than after hours, and the server's own handling of a full socket shows.
        if (_stalled)
        {
            socket.ReceiveBufferSize = 2048;
            socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 2 /* TCP_MAXSEG */, BitConverter.GetBytes(88));
        }
        if (_source is not null)
        {
            // IP_BIND_ADDRESS_NO_PORT (linux/in.h): the port is picked at connect, for the whole 4-tuple, not reserved by bind.
            socket.SetRawSocketOption(0 /* IPPROTO_IP */, 24 /* IP_BIND_ADDRESS_NO_PORT */, BitConverter.GetBytes(1));
            socket.Bind(new System.Net.IPEndPoint(_source, 0));
        }
        _socket = socket;
        // Close() may have run between the caller's check and the line above: look again.
        if (_context.Stopping)
        {
            Close();
            return Outcome.Stopped;
        }
        _parser.Reset();
        _snapshotSeen = false;
        SemaphoreSlim? gate = _context.ConnectGate;
        bool holdingGate = false;
        bool opened = false;
        try
        {
            if (gate is not null)
            {
                await gate.WaitAsync(ct);
                holdingGate = true;
            }
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                attempt.CancelAfter(_context.AttemptTimeout);
                await socket.ConnectAsync(_context.EndPoint, attempt.Token);
                byte[] request = resume ? _context.ResumeRequest(LastId) : _context.FreshRequest;
                await socket.SendAsync(request, SocketFlags.None, attempt.Token);
                // Open means the head arrived, and for a fresh stream its snapshot too.
                while (!_parser.HeadComplete || (!resume && !_snapshotSeen && !_parser.BodyEnded))
                {
                    int n = await socket.ReceiveAsync(_buffer, SocketFlags.None, attempt.Token);
                    if (n == 0) return Outcome.Failed;
                    _parser.Feed(_buffer.AsSpan(0, n), WallClock.Now());
                }
            }
            if (_parser.StatusCode == 204) return _everConnected ? Outcome.Finished : Outcome.Failed;
            if (_parser.StatusCode != 200) return Outcome.Failed;
            if (holdingGate)
            {
                gate!.Release();
                holdingGate = false;
            }
            opened = true;
            if (!_everConnected)
            {
                _everConnected = true;
                ConnectedAt = WallClock.Now();
                _context.ReportConnected();
            }
            if (_stalled) return Outcome.Stalled;
            while (!_parser.BodyEnded)
            {
                // No token here: a registration per read costs; Close() ends a pending read instead.
                int n = await socket.ReceiveAsync(_buffer, SocketFlags.None);
                if (n == 0) break;
                Reads++;
                _parser.Feed(_buffer.AsSpan(0, n), WallClock.Now());
            }
            return _closedSeen ? Outcome.Finished : Outcome.Cut;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Outcome.Stopped;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            if (_context.Stopping) return Outcome.Stopped;
            return opened ? Outcome.Cut : Outcome.Failed;
        }
        finally
        {
            if (holdingGate) gate!.Release();
            if (!_stalled || !opened) Interlocked.CompareExchange(ref _socket, null, socket)?.Dispose();
        }
    }

    void ISseFrameSink.OnResponseHead(int statusCode)
    {
    }

    void ISseFrameSink.OnEndOfBody()
    {
    }

    void ISseFrameSink.OnRetry(long milliseconds) => _retryMilliseconds = milliseconds;

    void ISseFrameSink.OnFrame(ReadOnlySpan<byte> eventType, long id, long arrival)
    {
        if (eventType.SequenceEqual("snapshot"u8))
        {
            _snapshotSeen = true;
            // The snapshot's id is the baseline; if one came after events, anything it skipped is a gap.
            if (id > _lastId + 1 && _lastId >= 0) Gaps++;
            if (id > _lastId) Volatile.Write(ref _lastId, id);
            return;
        }
        if (id < 0 || _stalled) return;
        if (eventType.SequenceEqual("closedConnection"u8)) _closedSeen = true;
        long last = _lastId;
        if (id <= last)
        {
            Duplicates++;
            return;
        }
        if (last >= 0 && id != last + 1) Gaps++;
        Volatile.Write(ref _lastId, id);
        Events++;
        if (arrival >= _context.WindowStart && arrival <= _context.WindowEnd) WindowDeliveries++;
        if (_context.DropLastId >= 0 && id > _context.DropLastId && CaughtUpAt == 0) CaughtUpAt = arrival;
        Tally?.OnEvent(id, arrival);
        long[]? due = _context.DueTimestamps;
        if (due is null) return;
        if (id >= due.Length)
        {
            UnknownIds++;
            return;
        }
        long dueAt = due[id];
        if (_closedSeen && eventType.SequenceEqual("closedConnection"u8))
        {
            // The close is measured on its own, whenever it is due: a run's ordinary latency leaves it out.
            CloseLatencyMicroseconds = (arrival - dueAt) / WallClock.TimestampsPerMicrosecond;
            _context.CloseLatency.Record(CloseLatencyMicroseconds.Value);
            return;
        }
        if (dueAt < _context.WindowStart || dueAt > _context.WindowEnd) return;
        WindowEvents++;
        long microseconds = (arrival - dueAt) / WallClock.TimestampsPerMicrosecond;
        if (microseconds < 0) EarlyEvents++;
        if (microseconds > MaxLatencyMicroseconds) MaxLatencyMicroseconds = microseconds;
        if (microseconds < MinLatencyMicroseconds) MinLatencyMicroseconds = microseconds;
        _context.Latency.Record(microseconds);
        _context.RecordWorst(id, microseconds);
    }

    /// <summary>Counts a window event that never arrived, at the latency it had reached by the end of the run.</summary>
    public void RecordCensored(long id, long microseconds)
    {
        _context.RecordWorst(id, microseconds);
        if (microseconds > MaxLatencyMicroseconds) MaxLatencyMicroseconds = microseconds;
        _context.Latency.Record(microseconds);
    }

    /// <summary>Arrival minus due time of the close at this client (µs), once it has arrived.</summary>
    public long? CloseLatencyMicroseconds { get; private set; }

    private enum Outcome
    {
        /// <summary>The stream ended after closedConnection, or the server answered 204.</summary>
        Finished,
        /// <summary>The stream was cut (EOF, reset, or a body that ended without closedConnection).</summary>
        Cut,
        /// <summary>Connecting failed: refused, timed out, or not a 200 event stream.</summary>
        Failed,
        /// <summary>A stalled client is open and will read no more.</summary>
        Stalled,
        /// <summary>The run is over.</summary>
        Stopped,
    }
}
