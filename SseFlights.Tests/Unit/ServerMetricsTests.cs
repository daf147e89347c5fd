using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Metrics;

namespace SseFlights.Tests.Unit;

/// <summary>The instruments a monitoring tool sees, as a MeterListener sees them: names, kinds, units, tags.</summary>
public class ServerMetricsTests
{
    [Test]
    public void Instruments_OnTheSseFlightsMeter_HaveTheDocumentedNamesKindsAndUnits()
    {
        using var meter = new Meter(ServerMetrics.MeterName);
        var seen = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    seen.Add($"{instrument.Name} {instrument.GetType().Name.Split('`')[0]} {instrument.Unit}");
                }
            },
        };
        listener.Start();
        _ = new ServerMetrics(meter, new FakeTimeProvider());

        Assert.That(meter.Name, Is.EqualTo("SseFlights"));
        Assert.That(seen, Is.EqualTo(new[]
        {
            "sseflights.clients ObservableUpDownCounter {stream}",
            "sseflights.streams.opened Counter {stream}",
            "sseflights.events.published Counter {event}",
            "sseflights.deliveries Counter {event}",
            "sseflights.written Counter By",
            "sseflights.resends Counter {event}",
            "sseflights.history.misses Counter {stream}",
            "sseflights.clients.cut Counter {stream}",
            "sseflights.delivery.latency Histogram s",
            "sseflights.log.refused Counter {message}",
        }));
    }

    [Test]
    public void StreamEnded_EachReason_CountsUnderItsTag_AndTheCloseIsNoCut()
    {
        using var meter = new Meter(ServerMetrics.MeterName);
        using var registry = new MetricsRegistry(meter);
        var metrics = new ServerMetrics(meter, new FakeTimeProvider());
        var live = new JoinPlan(JoinKind.Live, [], "up to date");
        foreach (var reason in Enum.GetValues<StreamEndReason>())
        {
            metrics.Joined(live);
            metrics.StreamEnded(reason);
        }

        var cut = registry.Instruments().Single(i => i.Name == "sseflights.clients.cut");
        Assert.That(cut.Series.Select(s => ($"{s.Tags.Single().Key}={s.Tags.Single().Value}", s.Value)), Is.EqualTo(new[]
        {
            ("reason=dead", 1L), ("reason=slow", 1L), ("reason=stalled", 1L), ("reason=drop", 1L), ("reason=shutdown", 1L), ("reason=failure", 1L), ("reason=fault", 1L),
        }));
        Assert.That(registry.Instruments().Single(i => i.Name == "sseflights.clients").Series.Single().Value, Is.Zero);
    }

    [Test]
    public void Recording_WithTheRegistryListening_AllocatesNothing()
    {
        using var meter = new Meter(ServerMetrics.MeterName);
        using var registry = new MetricsRegistry(meter);
        var time = new FakeTimeProvider();
        var metrics = new ServerMetrics(meter, time);
        var resume = new JoinPlan(JoinKind.Resume, [TestFrames.Event(1, [])], "resumed");
        long due = time.GetTimestamp();
        void RecordAStreamsLife()
        {
            metrics.Joined(resume);
            metrics.Published();
            metrics.Written(events: 3, bytes: 120, oldestDue: due, now: due + 1000);
            metrics.Written(events: 0, bytes: 13, oldestDue: 0, now: due + 2000);
            metrics.StreamEnded(StreamEndReason.Slow);
        }

        // The first round creates each tag set's series; after that, nothing may allocate.
        RecordAStreamsLife();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            RecordAStreamsLife();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        var deliveries = registry.Instruments().Single(i => i.Name == "sseflights.deliveries");
        Assert.That(deliveries.Series.Single().Value, Is.EqualTo(30_003), "and every call was counted");
    }
}
