using System.Diagnostics.Metrics;

namespace SseFlights.Metrics;

/// <summary>
/// Everything the registry holds for one instrument: what it is, and a series per tag set. The
/// list of series is copied on write (new tag sets are rare), so finding a series takes no lock.
/// </summary>
internal sealed class InstrumentState
{
    private readonly Lock _gate = new();
    private MetricSeries[] _series = [];

    private InstrumentState(Instrument instrument, MetricKind kind, double[] bounds)
    {
        Observed = instrument.IsObservable;
        Name = instrument.Name;
        Unit = instrument.Unit ?? "";
        Description = instrument.Description ?? "";
        Kind = kind;
        Bounds = bounds;
    }

    public string Name { get; }

    public string Unit { get; }

    public string Description { get; }

    public MetricKind Kind { get; }

    /// <summary>An observable instrument reports its current value when asked, not deltas.</summary>
    public bool Observed { get; }

    /// <summary>A histogram's bucket upper bounds, ascending (the +Inf bucket is implied).</summary>
    public double[] Bounds { get; }

    /// <summary>Every series so far; an instrument not yet recorded shows one zero series without tags, so it is never missing.</summary>
    public IReadOnlyList<MetricSeries> Series => Volatile.Read(ref _series) is { Length: > 0 } series
        ? series
        : [new MetricSeries([], Kind == MetricKind.Histogram ? Bounds.Length + 1 : 0)];

    /// <summary>The state for one of our instruments, or null for a kind the registry does not aggregate.</summary>
    public static InstrumentState? For(Instrument instrument) => instrument switch
    {
        Counter<long> => new(instrument, MetricKind.Counter, []),
        UpDownCounter<long> or ObservableUpDownCounter<long> or ObservableGauge<long> => new(instrument, MetricKind.Gauge, []),
        Histogram<double> histogram => new(instrument, MetricKind.Histogram, [.. histogram.Advice?.HistogramBucketBoundaries ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]]),
        _ => null,
    };

    public void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Observed)
        {
            Find(tags).Set(value);
        }
        else
        {
            Find(tags).Add(value);
        }
    }

    public void Observe(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The first bound not below the value; a value above every bound goes to +Inf.
        int bucket = Array.BinarySearch(Bounds, value);
        Find(tags).Observe(bucket >= 0 ? bucket : ~bucket, value);
    }

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var series in Volatile.Read(ref _series))
        {
            if (series.Matches(tags))
            {
                return series;
            }
        }

        lock (_gate)
        {
            foreach (var series in _series)
            {
                if (series.Matches(tags))
                {
                    return series;
                }
            }

            var added = new MetricSeries(tags.ToArray(), Kind == MetricKind.Histogram ? Bounds.Length + 1 : 0);
            Volatile.Write(ref _series, [.. _series, added]);
            return added;
        }
    }
}
