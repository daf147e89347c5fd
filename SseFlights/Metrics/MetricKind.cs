namespace SseFlights.Metrics;

/// <summary>How an instrument is exposed: a monotonic count, a value that goes up and down, or a distribution.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}
