using SseFlights.Bench.Load;

namespace SseFlights.Bench.Report;

/// <summary>Everything one run measured: one JSON line per run in the raw results.</summary>
internal sealed record RunResult
{
    public required string Server { get; init; }
    public required string Mode { get; init; }
    public required int Clients { get; init; }
    public int Stalled { get; init; }
    public int Rep { get; init; }
    public string? Scenario { get; init; }
    public double Speed { get; init; }
    public DateTime StartedAtUtc { get; init; }

    /// <summary>All clients connected, no gaps or duplicates, events arrived, nothing went wrong.</summary>
    public bool Ok { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];

    public int Connected { get; init; }
    public int Failed { get; init; }
    /// <summary>From the first connect attempt until the last client had its snapshot.</summary>
    public double ConnectSeconds { get; init; }

    public double WindowSeconds { get; init; }
    /// <summary>Event ids due inside the window.</summary>
    public long EventsInWindow { get; init; }
    /// <summary>Events that arrived at a client inside the window, over all clients.</summary>
    public long Deliveries { get; init; }
    public double DeliveriesPerSecond { get; init; }
    /// <summary>Deliveries of window events that never arrived (by the end of the drain).</summary>
    public long Missing { get; init; }
    /// <summary>Arrival minus due time of every event due inside the window, at every client.</summary>
    public required LatencySummary Latency { get; init; }

    public long Events { get; init; }
    /// <summary>Socket reads that returned data, over the whole run (a few per event means small packets).</summary>
    public long Reads { get; init; }
    public long Gaps { get; init; }
    public long Duplicates { get; init; }
    public long UnknownIds { get; init; }
    public long EarlyEvents { get; init; }
    public int Cuts { get; init; }
    public int Reconnects { get; init; }
    public int ReconnectFailures { get; init; }

    /// <summary>The window events that reached some client latest: when the slow moments were.</summary>
    public IReadOnlyList<SlowEvent> SlowestEvents { get; init; } = [];

    public ServerStats? ServerStats { get; init; }
    public required BenchStats Bench { get; init; }
    public StormStats? Storm { get; init; }
    public CloseStats? Close { get; init; }
    public SoakStats? Soak { get; init; }
    public StalledStats? StalledClients { get; init; }
}

/// <summary>The server process, from /proc: memory, threads and open files idle (before any client), once all
/// clients are connected (window start), and at peak during the window; CPU during the window.</summary>
internal sealed record ServerStats(
    int Pid,
    long RssIdleKiB,
    long RssConnectedKiB,
    long RssPeakKiB,
    double RssPerStreamKiB,
    int ThreadsIdle,
    int ThreadsConnected,
    int ThreadsPeak,
    double CpuSeconds,
    double CpuPercent,
    double? CpuSecondsPerMillionDeliveries,
    int? ClientsReported,
    double? AllocatedBytesPerDelivery = null,
    GcCounts? Gc = null,
    int? OpenFilesIdle = null,
    int? OpenFilesConnected = null);

/// <summary>The server's GC collections by generation, from /api/stats: <c>GC.CollectionCount(0)</c>,
/// <c>(1)</c>, <c>(2)</c> differences, so a gen-2 collection counts in all three. <paramref name="Run"/>
/// spans the run (before the first client connected until the drain and catch-up ended, so the
/// connect burst's snapshots and the storm's resends are in it); <paramref name="Window"/> the window.
/// <paramref name="Gen2ReasonsRun"/> and <paramref name="Gen2ReasonsWindow"/> split the gen-2 ones by the
/// runtime's reason (sseflights only): <c>AllocLarge</c> and <c>OutOfSpaceLarge</c> are large-object-heap
/// allocations (big buffers), <c>AllocSmall</c> ordinary promotion.</summary>
internal sealed record GcCounts(
    IReadOnlyList<int> Run,
    IReadOnlyList<int> Window,
    IReadOnlyDictionary<string, long>? Gen2ReasonsRun = null,
    IReadOnlyDictionary<string, long>? Gen2ReasonsWindow = null)
{
    /// <summary>The runtime's reasons that mean large-object-heap allocations: what big resend or snapshot buffers would cause.</summary>
    public static readonly string[] BufferReasons = ["AllocLarge", "OutOfSpaceLarge"];

    public static long? CausedByBuffers(IReadOnlyDictionary<string, long>? reasons) =>
        reasons is null ? null : BufferReasons.Sum(r => reasons.GetValueOrDefault(r));
}

/// <summary>The load generator's own cost during the window (percent of one core), and the most file
/// descriptors it held (at the window's start, or after a timed drop's catch-up: its sockets and the runtime's own).</summary>
internal sealed record BenchStats(double CpuSeconds, double CpuPercent, int Threads, int? OpenFiles = null);

/// <summary>The reconnect storm: clients cut by the drop, and how long after the drop's due time
/// each had its first event after the drop (resumed with Last-Event-ID and caught up).</summary>
internal sealed record StormStats(
    double DropAtSeconds,
    int CutByDrop,
    int CaughtUp,
    int NotCaughtUp,
    double? CatchUpP50Ms,
    double? CatchUpP99Ms,
    double? CatchUpMaxMs,
    double? AllCaughtUpSeconds);

/// <summary>The close (closedConnection), which ends every stream: when it reached each client against
/// its due time, beside the median of the same run's ordinary events, and the two's ratio.</summary>
internal sealed record CloseStats(
    double CloseAtSeconds,
    int Clients,
    int Reached,
    double? P50Ms,
    double? P99Ms,
    double? MaxMs,
    double? OrdinaryP50Ms,
    double? P50OverOrdinaryP50);

/// <summary>The reconnect-heavy soak, over the window: reconnects started in it (each after the
/// server's retry: of <paramref name="RetryMs"/>, the value the clients received), those that got no
/// stream, and the catch-up of those that had missed events: from the reconnect's start to the arrival
/// of the last event due then. <paramref name="AllocatedBytesPerReconnect"/> is everything the server
/// allocated in the window (its events' fan-out too) over the reconnects.</summary>
internal sealed record SoakStats(
    double? DropEverySeconds,
    long? RetryMs,
    int Reconnects,
    double ReconnectsPerSecond,
    int ReconnectFailures,
    int CaughtUp,
    int CutBeforeCaughtUp,
    double? CatchUpP50Ms,
    double? CatchUpP99Ms,
    double? CatchUpMaxMs,
    double? AllocatedBytesPerReconnect);

/// <summary>Clients that never read after their snapshot, and how many the server had closed by the end.</summary>
internal sealed record StalledStats(int Requested, int Connected, int ClosedByServer);

/// <summary>An event id, its scenario time, and its highest latency at any client.</summary>
internal sealed record SlowEvent(long Id, double At, double MaxMs);
