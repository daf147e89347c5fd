using System.Net;
using System.Text;

namespace SseFlights.Bench.Load;

/// <summary>What every client of one run shares: where to connect, how many may connect at once,
/// when each event id was due, the measurement window, the drop being timed, and the histograms.</summary>
internal sealed class LoadContext
{
    private readonly string _host;
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MinValue;
    private int _connected;
    private int _failed;
    private int _expected;
    private TaskCompletionSource _allResolved = NewSignal();
    private volatile bool _stopping;

    public LoadContext(IPEndPoint endPoint, long[]? dueTimestamps, int connectConcurrency, TimeSpan attemptTimeout)
    {
        EndPoint = endPoint;
        DueTimestamps = dueTimestamps;
        WorstByEvent = new long[dueTimestamps?.Length ?? 0];
        ConnectGate = connectConcurrency > 0 ? new SemaphoreSlim(connectConcurrency) : null;
        AttemptTimeout = attemptTimeout;
        _host = $"{endPoint.Address}:{endPoint.Port}";
        FreshRequest = Request(null);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Loopback source addresses the clients bind to in turn (127.0.0.2, .3, ...); empty: the kernel's choice (127.0.0.1).
    /// One source address and one server port leave the kernel about 28,000 ephemeral ports (32768–60999), of which connect
    /// prefers the even half: past 14,000 streams each connect scans the full even half before it finds a port, and
    /// connecting 18,000 takes the generator seconds. Several source addresses each keep a port range of their own.</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    private int _nextSource = -1;

    /// <summary>The source address for the next client (null: let the kernel choose).</summary>
    public IPAddress? NextSourceAddress() =>
        SourceAddresses.Count == 0 ? null : SourceAddresses[(int)((uint)Interlocked.Increment(ref _nextSource) % (uint)SourceAddresses.Count)];

    /// <summary>Due time of event id i at index i, as a Stopwatch timestamp; null when the scenario is unknown.</summary>
    public long[]? DueTimestamps { get; }

    /// <summary>Limits connects in flight (a connect holds it until the response head, and the snapshot
    /// for a fresh stream, arrive); null for no limit.</summary>
    public SemaphoreSlim? ConnectGate { get; }

    public TimeSpan AttemptTimeout { get; }

    public byte[] FreshRequest { get; }

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Soak: clients wait the server's <c>retry:</c> before each reconnect, as browsers do
    /// (otherwise they reconnect at once), and keep a <see cref="ReconnectTally"/>.</summary>
    public bool ReconnectAfterRetry { get; init; }

    /// <summary>Soak: time from each reconnect in the window to the arrival of what it had missed.</summary>
    public LatencyHistogram CatchUp { get; } = new();

    /// <summary>The close (closedConnection) at every client: arrival minus due time, kept apart from the ordinary events.</summary>
    public LatencyHistogram CloseLatency { get; } = new();

    /// <summary>Highest latency (µs) of each event id over all clients: which events were slow.</summary>
    public long[] WorstByEvent { get; }

    public void RecordWorst(long id, long microseconds)
    {
        long seen = Volatile.Read(ref WorstByEvent[id]);
        while (microseconds > seen)
        {
            long was = Interlocked.CompareExchange(ref WorstByEvent[id], microseconds, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    public long WindowStart => Volatile.Read(ref _windowStart);

    public long WindowEnd => Volatile.Read(ref _windowEnd);

    /// <summary>Due time of the drop being timed (long.MaxValue for none) and the last id before it.</summary>
    public long DropTimestamp { get; private set; } = long.MaxValue;

    public long DropLastId { get; private set; } = -1;

    /// <summary>Set when the run is over: read errors after it are the bench closing sockets.</summary>
    public bool Stopping
    {
        get => _stopping;
        set => _stopping = value;
    }

    public int Connected => Volatile.Read(ref _connected);

    public int Failed => Volatile.Read(ref _failed);

    public byte[] ResumeRequest(long lastEventId) => Request(lastEventId);

    /// <summary>The highest event id due at <paramref name="timestamp"/> (0 before the first; -1 without a schedule).</summary>
    public long LastIdDueBy(long timestamp)
    {
        long[]? due = DueTimestamps;
        if (due is null) return -1;
        // due[1..] ascends: find the last index whose due time is not after the timestamp.
        int low = 1, high = due.Length - 1, last = 0;
        while (low <= high)
        {
            int middle = low + (high - low) / 2;
            if (due[middle] <= timestamp)
            {
                last = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return last;
    }

    public void SetWindow(long start, long end)
    {
        Volatile.Write(ref _windowEnd, end);
        Volatile.Write(ref _windowStart, start);
    }

    public void SetDrop(long dueTimestamp, long lastIdBefore)
    {
        DropLastId = lastIdBefore;
        DropTimestamp = dueTimestamp;
    }

    /// <summary>Starts counting a batch of first connects; the returned task ends when each has connected or failed.</summary>
    public Task ExpectConnects(int count)
    {
        Volatile.Write(ref _connected, 0);
        Volatile.Write(ref _failed, 0);
        _expected = count;
        _allResolved = NewSignal();
        if (count == 0) _allResolved.TrySetResult();
        return _allResolved.Task;
    }

    public void ReportConnected() => Resolve(Interlocked.Increment(ref _connected) + Failed);

    public void ReportFailed() => Resolve(Interlocked.Increment(ref _failed) + Connected);

    private void Resolve(int resolved)
    {
        if (resolved >= _expected) _allResolved.TrySetResult();
    }

    private byte[] Request(long? lastEventId)
    {
        var text = new StringBuilder()
            .Append("GET /events HTTP/1.1\r\n")
            .Append("Host: ").Append(_host).Append("\r\n")
            .Append("Accept: text/event-stream\r\n")
            .Append("Cache-Control: no-cache\r\n");
        if (lastEventId is { } id) text.Append("Last-Event-ID: ").Append(id).Append("\r\n");
        return Encoding.ASCII.GetBytes(text.Append("\r\n").ToString());
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
