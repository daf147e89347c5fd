namespace SseFlights.Metrics;

/// <summary>
/// One instrument's values for one set of tags. Counters and gauges keep a sum; histograms keep a
/// count per bucket and a sum. Updated with Interlocked only, so recording never blocks.
/// </summary>
internal sealed class MetricSeries(KeyValuePair<string, object?>[] tags, int buckets)
{
    private readonly long[] _buckets = new long[buckets];
    private long _value;
    private double _sum;

    public KeyValuePair<string, object?>[] Tags { get; } = tags;

    /// <summary>A counter's or gauge's current value.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>A histogram's sum of observations.</summary>
    public double Sum => Volatile.Read(ref _sum);

    public void Add(long delta) => Interlocked.Add(ref _value, delta);

    public void Set(long value) => Interlocked.Exchange(ref _value, value);

    public void Observe(int bucket, double value)
    {
        Interlocked.Increment(ref _buckets[bucket]);
        double seen = Volatile.Read(ref _sum);
        while (true)
        {
            double was = Interlocked.CompareExchange(ref _sum, seen + value, seen);
            if (was.Equals(seen))
            {
                return;
            }

            seen = was;
        }
    }

    /// <summary>A histogram's counts per bucket (not cumulative), read once each.</summary>
    public long[] Buckets() => [.. _buckets.Select((_, i) => Interlocked.Read(ref _buckets[i]))];

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != Tags.Length)
        {
            return false;
        }

        for (int i = 0; i < tags.Length; i++)
        {
            if (tags[i].Key != Tags[i].Key || !Equals(tags[i].Value, Tags[i].Value))
            {
                return false;
            }
        }

        return true;
    }
}
