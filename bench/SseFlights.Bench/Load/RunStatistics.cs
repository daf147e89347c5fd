using SseFlights.Bench.Report;
using SseFlights.Bench.Scenario;
using SseFlights.Bench.Target;

namespace SseFlights.Bench.Load;

/// <summary>Turns a run's raw readings (/proc samples, clients' counters) into the result's
/// server, bench and storm sections.</summary>
internal static class RunStatistics
{
    public static ServerStats? Server(
        int? pid, ProcSample? idle, ProcSample? atStart, ProcSample? atEnd, (int Threads, long RssKiB) peaks,
        int streams, long deliveries, double windowSeconds, int? serverClients, long? allocatedBytes = null, GcCounts? collections = null,
        (int? Idle, int? Connected) openFiles = default)
    {
        if (pid is null || idle is null || atStart is null || atEnd is null) return null;
        double cpu = atEnd.CpuSeconds - atStart.CpuSeconds;
        return new ServerStats(
            pid.Value,
            idle.RssKiB,
            atStart.RssKiB,
            Math.Max(peaks.RssKiB, atEnd.RssKiB),
            streams == 0 ? 0 : Math.Round((atStart.RssKiB - idle.RssKiB) / (double)streams, 2),
            idle.Threads,
            atStart.Threads,
            Math.Max(peaks.Threads, atEnd.Threads),
            Math.Round(cpu, 3),
            Math.Round(100 * cpu / windowSeconds, 1),
            deliveries == 0 ? null : Math.Round(cpu / (deliveries / 1e6), 3),
            serverClients,
            deliveries == 0 || allocatedBytes is null ? null : Math.Round(allocatedBytes.Value / (double)deliveries, 2),
            collections,
            openFiles.Idle,
            openFiles.Connected);
    }

    /// <summary>GC collections by generation over the run (before the first client until the drain
    /// and catch-up ended) and over the window; null for a server without /api/stats.</summary>
    public static GcCounts? Collections(ServerCounters? idle, ServerCounters? windowStart, ServerCounters? windowEnd, ServerCounters? drained)
    {
        int[]? run = Delta(idle, drained);
        return run is null ? null : new GcCounts(run, Delta(windowStart, windowEnd) ?? [], Reasons(idle, drained), Reasons(windowStart, windowEnd));

        static Dictionary<string, long>? Reasons(ServerCounters? before, ServerCounters? after) =>
            before?.Gen2Reasons is { } b && after?.Gen2Reasons is { } a
                ? a.Select(p => (p.Key, Count: p.Value - b.GetValueOrDefault(p.Key))).Where(p => p.Count > 0).ToDictionary(p => p.Key, p => p.Count)
                : null;

        static int[]? Delta(ServerCounters? before, ServerCounters? after) =>
            before?.GcCollections is { Count: 3 } b && after?.GcCollections is { Count: 3 } a ? [a[0] - b[0], a[1] - b[1], a[2] - b[2]] : null;
    }

    public static BenchStats Bench(ProcSample? atStart, ProcSample? atEnd, double windowSeconds, int? openFiles = null)
    {
        double cpu = atStart is null || atEnd is null ? 0 : atEnd.CpuSeconds - atStart.CpuSeconds;
        return new BenchStats(Math.Round(cpu, 3), Math.Round(100 * cpu / windowSeconds, 1), atEnd?.Threads ?? 0, openFiles);
    }

    public static StormStats Storm(Drop drop, StreamClient[] clients, long dropTimestamp)
    {
        StreamClient[] open = clients.Where(c => c.EverConnected).ToArray();
        double[] catchUpMs = open.Where(c => c.CaughtUpAt != 0)
            .Select(c => WallClock.SecondsBetween(dropTimestamp, c.CaughtUpAt) * 1000)
            .Order()
            .ToArray();
        int notCaughtUp = open.Length - catchUpMs.Length;
        return new StormStats(
            drop.At,
            open.Count(c => c.CutByDrop),
            catchUpMs.Length,
            notCaughtUp,
            Rank(catchUpMs, 0.50),
            Rank(catchUpMs, 0.99),
            catchUpMs.Length == 0 ? null : Math.Round(catchUpMs[^1], 1),
            notCaughtUp == 0 && catchUpMs.Length > 0 ? Math.Round(catchUpMs[^1] / 1000, 3) : null);

        static double? Rank(double[] sorted, double fraction) =>
            sorted.Length == 0 ? null : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)], 1);
    }

    public static SoakStats Soak(Schedule schedule, StreamClient[] clients, LatencyHistogram catchUp, double windowSeconds, long? allocatedBytes)
    {
        ReconnectTally[] tallies = clients.Where(c => c.EverConnected && c.Tally is not null).Select(c => c.Tally!).ToArray();
        int reconnects = tallies.Sum(t => t.Reconnects);
        LatencySummary times = catchUp.Summarize(0, tallies.Select(t => t.MaxCatchUpMicroseconds).DefaultIfEmpty(0).Max());
        // The retry: most clients hold at the end (they all should hold the same one).
        long? retry = clients.Where(c => c.RetryMilliseconds >= 0).GroupBy(c => c.RetryMilliseconds)
            .OrderByDescending(g => g.Count()).Select(g => (long?)g.Key).FirstOrDefault();
        double? dropEvery = schedule.Drops.Count < 2 ? null : Math.Round((schedule.Drops[^1].At - schedule.Drops[0].At) / (schedule.Drops.Count - 1), 3);
        return new SoakStats(
            dropEvery,
            retry,
            reconnects,
            Math.Round(reconnects / windowSeconds, 1),
            tallies.Sum(t => t.Failures),
            tallies.Sum(t => t.CaughtUp),
            tallies.Sum(t => t.CutBeforeCaughtUp),
            times.P50Ms,
            times.P99Ms,
            times.MaxMs,
            reconnects == 0 || allocatedBytes is null ? null : Math.Round(allocatedBytes.Value / (double)reconnects, 0));
    }

    /// <summary>The close at every connected client, against the run's ordinary events.</summary>
    public static CloseStats Close(Schedule schedule, StreamClient[] clients, LatencyHistogram closeLatency, LatencySummary ordinary)
    {
        long[] reached = [.. clients.Where(c => c.CloseLatencyMicroseconds is not null).Select(c => c.CloseLatencyMicroseconds!.Value)];
        LatencySummary close = closeLatency.Summarize(reached.DefaultIfEmpty(0).Min(), reached.DefaultIfEmpty(0).Max());
        double? ratio = close.P50Ms is { } p50 && ordinary.P50Ms is > 0 ? Math.Round(p50 / ordinary.P50Ms.Value, 2) : null;
        return new CloseStats(schedule.AtOf(schedule.CloseId!.Value), clients.Count(c => c.EverConnected), reached.Length, close.P50Ms, close.P99Ms, close.MaxMs, ordinary.P50Ms, ratio);
    }

    /// <summary>The <paramref name="count"/> window events with the highest latency at any client.</summary>
    public static IReadOnlyList<SlowEvent> Slowest(long[] worstByEvent, Schedule schedule, int count) =>
        Enumerable.Range(1, Math.Max(0, worstByEvent.Length - 1))
            .Where(id => worstByEvent[id] > 0)
            .OrderByDescending(id => worstByEvent[id])
            .Take(count)
            .Select(id => new SlowEvent(id, schedule.AtOf(id), Math.Round(worstByEvent[id] / 1000.0, 1)))
            .ToList();
}
