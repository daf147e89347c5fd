using Serilog;
using SseFlights.Metrics;
using SseFlights.Scenario;

namespace SseFlights.Broadcast;

/// <summary>
/// Plays the timeline on the one server-wide clock. Each entry fires at
/// <c>start + (cycle × cycleLength + at) / speed</c>, computed from the start every time
/// rather than by summing delays, so a long run does not drift.
/// </summary>
internal sealed class ScenarioPlayer(ScenarioDefinition scenario, EventHub hub, double speed, TimeProvider time, ServerMetrics metrics, ILogger log)
{
    private readonly ILogger _log = log.ForContext<ScenarioPlayer>();
    private readonly long _start = time.GetTimestamp();

    /// <summary>When the scenario clock started, as wall-clock time (published in /healthz).</summary>
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public double Speed => speed;

    /// <summary>Runs until the timeline ends (or, for a repeating scenario, until cancelled).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        for (long cycle = 0; ; cycle++)
        {
            double cycleStart = cycle * (scenario.Cycle ?? 0);
            if (cycle > 0)
            {
                long due = await WaitUntilAsync(cycleStart, cancellationToken).ConfigureAwait(false);
                var snapshot = hub.StartCycle(due);
                metrics.EventPublished();
                _log.Information("Cycle {Cycle} begins: board reset, snapshot sent as event {EventId}", cycle + 1, snapshot.Id);
            }

            foreach (var entry in scenario.Timeline)
            {
                long due = await WaitUntilAsync(cycleStart + entry.At, cancellationToken).ConfigureAwait(false);
                Fire(entry, due);
            }

            if (!scenario.Repeat)
            {
                _log.Information("The timeline has ended");
                return;
            }
        }
    }

    private void Fire(TimelineEntry entry, long due)
    {
        if (entry.Kind == EntryKind.Drop)
        {
            int dropped = hub.DropAll();
            _log.Information("Scenario drop at {At}s: cut {Count} streams", entry.At, dropped);
            return;
        }

        if (entry.IsLiveOnly)
        {
            var live = hub.PublishLive(entry, due);
            _log.Debug("Live-only {Kind} frame at {At}s: {Bytes} bytes", live.Kind, entry.At, live.Bytes.Length);
            return;
        }

        var frame = hub.Publish(entry, due);
        metrics.EventPublished();
        _log.Debug("Event {EventId} {EventName} at {At}s: {Data}", frame.Id, frame.Name, entry.At, entry.Data);
        if (entry.Kind == EntryKind.Close)
        {
            _log.Information("The board has closed with event {EventId}; new streams get 204 No Content", frame.Id);
        }
    }

    /// <summary>Waits for the moment <paramref name="scenarioSeconds"/> into the scenario; returns it as a timestamp.</summary>
    private async Task<long> WaitUntilAsync(double scenarioSeconds, CancellationToken cancellationToken)
    {
        var due = TimeSpan.FromSeconds(scenarioSeconds / speed);

        // Timers work in whole milliseconds and a shorter wait would end at once: round up, and
        // check again on waking, so an entry never fires before its moment.
        for (var wait = due - time.GetElapsedTime(_start); wait > TimeSpan.Zero; wait = due - time.GetElapsedTime(_start))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, cancellationToken).ConfigureAwait(false);
        }

        return _start + (long)(due.TotalSeconds * time.TimestampFrequency);
    }
}
