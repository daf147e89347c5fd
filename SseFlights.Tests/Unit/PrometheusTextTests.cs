using System.Diagnostics.Metrics;
using SseFlights.Metrics;

namespace SseFlights.Tests.Unit;

/// <summary>The registry and the text format, byte for byte, without a server.</summary>
public class PrometheusTextTests
{
    [Test]
    public void Render_CounterGaugeAndHistogram_WritesTheExpositionFormatExactly()
    {
        using var meter = new Meter("PrometheusTextTests");
        using var registry = new MetricsRegistry(meter);
        var counter = meter.CreateCounter<long>("demo.requests", "{request}", "Requests\nby path");
        long level = 7;
        meter.CreateObservableUpDownCounter("demo.level", () => level, "{item}", "A level");
        var histogram = meter.CreateHistogram<double>("demo.wait", "s", "Waits", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1] });
        counter.Add(2, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"));
        counter.Add(1, new KeyValuePair<string, object?>("path", "/x"));
        counter.Add(3, new KeyValuePair<string, object?>("path", "/x"));
        foreach (double wait in new[] { 0.25, 0.5, 0.75, 3 })
        {
            histogram.Record(wait);
        }

        level = 5;
        Assert.That(PrometheusText.Render(registry.Instruments()), Is.EqualTo("""
            # HELP demo_requests_total Requests\nby path
            # TYPE demo_requests_total counter
            demo_requests_total{path="a\"b\\c\nd"} 2
            demo_requests_total{path="/x"} 4
            # HELP demo_level A level
            # TYPE demo_level gauge
            demo_level 5
            # HELP demo_wait_seconds Waits
            # TYPE demo_wait_seconds histogram
            demo_wait_seconds_bucket{le="0.5"} 2
            demo_wait_seconds_bucket{le="1"} 3
            demo_wait_seconds_bucket{le="+Inf"} 4
            demo_wait_seconds_sum 4.5
            demo_wait_seconds_count 4

            """.Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    [Test]
    public void Render_InstrumentsNotYetRecorded_ShowAZeroSeries()
    {
        using var meter = new Meter("PrometheusTextTests");
        using var registry = new MetricsRegistry(meter);
        meter.CreateCounter<long>("demo.bytes", "By", "Bytes");
        meter.CreateHistogram<double>("demo.wait", "s", "Waits", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] });
        Assert.That(PrometheusText.Render(registry.Instruments()), Is.EqualTo("""
            # HELP demo_bytes_total Bytes
            # TYPE demo_bytes_total counter
            demo_bytes_total 0
            # HELP demo_wait_seconds Waits
            # TYPE demo_wait_seconds histogram
            demo_wait_seconds_bucket{le="1"} 0
            demo_wait_seconds_bucket{le="+Inf"} 0
            demo_wait_seconds_sum 0
            demo_wait_seconds_count 0

            """.Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    [Test]
    public void Registry_ListensOnlyToItsOwnMeter_EvenWhenAnotherHasTheSameName()
    {
        using var mine = new Meter("SseFlights");
        using var other = new Meter("SseFlights");
        using var registry = new MetricsRegistry(mine);
        mine.CreateCounter<long>("demo.count").Add(1);
        other.CreateCounter<long>("demo.count").Add(5);
        Assert.That(registry.Instruments().Select(i => (i.Name, i.Series.Single().Value)), Is.EqualTo(new[] { ("demo.count", 1L) }));
    }
}
