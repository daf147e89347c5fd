using System.Diagnostics.Metrics;

namespace SseFlights.Metrics;

/// <summary>
/// Listens to one <see cref="Meter"/> (this server's, by reference: tests run several servers in one
/// process) and keeps a running total of every instrument, for /metrics to render. Measurements
/// arrive on the recording thread; they only touch Interlocked counters.
/// </summary>
internal sealed class MetricsRegistry : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<InstrumentState> _instruments = [];

    /// <summary>Create it before the meter's instruments, so it sees each one's first measurement.</summary>
    public MetricsRegistry(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter) || InstrumentState.For(instrument) is not { } state)
            {
                return;
            }

            lock (_gate)
            {
                _instruments.Add(state);
            }

            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentState)state!).Add(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentState)state!).Observe(value, tags));
        _listener.Start();
    }

    /// <summary>The instruments in the order they were created.</summary>
    public IReadOnlyList<InstrumentState> Instruments()
    {
        _listener.RecordObservableInstruments();
        lock (_gate)
        {
            return [.. _instruments];
        }
    }

    public void Dispose() => _listener.Dispose();
}
