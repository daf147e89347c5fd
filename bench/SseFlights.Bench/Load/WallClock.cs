using System.Diagnostics;

namespace SseFlights.Bench.Load;

/// <summary>Stopwatch timestamps anchored once to the wall clock, so a server's wall-clock
/// schedule (/healthz startedAt + at / speed) can be compared with monotonic arrival times
/// taken on the same machine.</summary>
internal sealed class WallClock
{
    private static readonly double TimestampsPerTick = Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond;

    private readonly long _anchorTimestamp;
    private readonly DateTime _anchorUtc;

    public WallClock()
    {
        // Bracket the wall-clock read so the anchor sits within a microsecond or so of it.
        long before = Stopwatch.GetTimestamp();
        _anchorUtc = DateTime.UtcNow;
        long after = Stopwatch.GetTimestamp();
        _anchorTimestamp = before + (after - before) / 2;
    }

    public static long TimestampsPerMicrosecond { get; } = Math.Max(1, Stopwatch.Frequency / 1_000_000);

    public long ToTimestamp(DateTime utc) => _anchorTimestamp + (long)((utc - _anchorUtc).Ticks * TimestampsPerTick);

    public static long Now() => Stopwatch.GetTimestamp();

    public static double SecondsBetween(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    public static long FromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
