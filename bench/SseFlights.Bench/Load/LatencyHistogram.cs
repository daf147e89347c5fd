using System.Numerics;

namespace SseFlights.Bench.Load;

/// <summary>A fixed log-linear histogram of microseconds (HdrHistogram-style, hand-written):
/// exact below 128 µs, then 64 buckets per power of two (under 1.6 % wide) up to 2^26 µs
/// (about 67 s); larger values land in the last bucket. Lock-free and striped by thread so
/// millions of records a second from the receive loops do not fight over one cache line.</summary>
internal sealed class LatencyHistogram
{
    private const int LinearLimit = 128;
    private const int SubBuckets = 64;
    private const int FirstExponent = 7; // 2^7 = LinearLimit
    private const int MaxExponent = 26;
    private const int BucketCount = LinearLimit + (MaxExponent - FirstExponent + 1) * SubBuckets;

    private readonly long[][] _stripes;

    public LatencyHistogram()
    {
        int stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, Environment.ProcessorCount * 2));
        _stripes = new long[stripes][];
        for (int i = 0; i < stripes; i++) _stripes[i] = new long[BucketCount];
    }

    public void Record(long microseconds)
    {
        long[] stripe = _stripes[Environment.CurrentManagedThreadId & (_stripes.Length - 1)];
        Interlocked.Increment(ref stripe[IndexOf(microseconds)]);
    }

    /// <summary>Percentiles in milliseconds; each is the upper edge of its bucket, capped at the exact max.</summary>
    public LatencySummary Summarize(long exactMinMicroseconds, long exactMaxMicroseconds)
    {
        var counts = new long[BucketCount];
        foreach (long[] stripe in _stripes)
        {
            for (int i = 0; i < BucketCount; i++) counts[i] += Volatile.Read(ref stripe[i]);
        }
        long total = 0;
        foreach (long c in counts) total += c;
        if (total == 0) return LatencySummary.Empty;
        return new LatencySummary(
            total,
            Math.Round(exactMinMicroseconds / 1000.0, 3),
            Ms(Percentile(counts, total, 0.50)),
            Ms(Percentile(counts, total, 0.90)),
            Ms(Percentile(counts, total, 0.99)),
            Ms(Percentile(counts, total, 0.999)),
            Ms(exactMaxMicroseconds));

        double Ms(long us) => Math.Round(Math.Min(us, exactMaxMicroseconds) / 1000.0, 3);
    }

    internal static int IndexOf(long microseconds)
    {
        if (microseconds < LinearLimit) return microseconds < 0 ? 0 : (int)microseconds;
        int exponent = 63 - BitOperations.LeadingZeroCount((ulong)microseconds);
        if (exponent > MaxExponent) return BucketCount - 1;
        int sub = (int)(microseconds >> (exponent - 6)) - SubBuckets;
        return LinearLimit + (exponent - FirstExponent) * SubBuckets + sub;
    }

    internal static long UpperEdgeOf(int index)
    {
        if (index < LinearLimit) return index;
        int exponent = (index - LinearLimit) / SubBuckets + FirstExponent;
        int sub = (index - LinearLimit) % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << (exponent - 6)) - 1;
    }

    private static long Percentile(long[] counts, long total, double fraction)
    {
        long rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank) return UpperEdgeOf(i);
        }
        return UpperEdgeOf(counts.Length - 1);
    }
}

/// <summary>Latency percentiles in milliseconds (null when nothing was recorded). Min is exact and
/// signed: below zero means an event arrived before its due time (the histogram counts it as 0).</summary>
internal sealed record LatencySummary(long Count, double? MinMs, double? P50Ms, double? P90Ms, double? P99Ms, double? P999Ms, double? MaxMs)
{
    public static LatencySummary Empty { get; } = new(0, null, null, null, null, null, null);
}
