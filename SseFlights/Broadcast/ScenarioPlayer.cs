using Serilog;
using SseFlights.Metrics;
using SseFlights.Scenario;

namespace SseFlights.Broadcast;

/// <summary>
/// Plays the timeline on the one server-wide clock. Each entry fires at
/// <c>start + (cycle × cycleLength + at) / speed</c>, computed from the start every time
/// rather than by summing delays, so a long run does not drift. With an <paramref name="epoch"/>
/// the start is that instant, not now: replicas given the same epoch play the same frames at the
/// same moments, and one started late first replays the past it needs (see <see cref="TimelinePosition"/>).
/// </summary>
internal sealed class ScenarioPlayer(ScenarioDefinition scenario, EventHub hub, double speed, TimeProvider time, ServerMetrics metrics, ILogger log, DateTimeOffset? epoch = null)
{
    private readonly ILogger _log = log.ForContext<ScenarioPlayer>();
    private readonly long _start = time.GetTimestamp() - EpochTicks(epoch, time);
    private readonly TimelinePosition _position = new(scenario);

    // Frames due before this timestamp are the past being replayed at start: not counted, not logged one by one.
    private long _caughtUpAt;

    /// <summary>When the scenario clock started, as wall-clock time (published in /healthz).</summary>
    public DateTimeOffset StartedAt { get; } = epoch ?? time.GetUtcNow();

    /// <summary>The <c>--epoch</c> the clock was given, or null when it started with the process.</summary>
    public DateTimeOffset? Epoch => epoch;

    public double Speed => speed;

    /// <summary>Seconds into the scenario now (negative before a future epoch), in scenario time.</summary>
    public double ScenarioSeconds(TimeSpan ahead = default) => (time.GetElapsedTime(_start) + ahead).TotalSeconds * speed;

    /// <summary>The newest id this clock will have issued <paramref name="ahead"/> from now (wall-clock time).</summary>
    public long IdReachedWithin(TimeSpan ahead) => _position.IdAt(ScenarioSeconds(ahead));

    /// <summary>Runs until the timeline ends (or, for a repeating scenario, until cancelled).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _caughtUpAt = time.GetTimestamp();
        long firstCycle = CatchUp();
        for (long cycle = firstCycle; ; cycle++)
        {
            double cycleStart = cycle * (scenario.Cycle ?? 0);
            if (cycle > 0)
            {
                long due = await WaitUntilAsync(cycleStart, cancellationToken).ConfigureAwait(false);
                var snapshot = hub.StartCycle(due);
                if (due >= _caughtUpAt)
                {
                    metrics.EventPublished();
                    _log.Information("Cycle {Cycle} begins: board reset, snapshot sent as event {EventId}", cycle + 1, snapshot.Id);
                }
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

    /// <summary>
    /// With an epoch in the past, skips whole cycles by arithmetic and returns the cycle to replay
    /// from; the loop then plays the past without waiting (every moment is due), so the board, the
    /// ids and the history's bytes are those a replica running since the epoch has.
    /// </summary>
    private long CatchUp()
    {
        if (epoch is null)
        {
            return 0;
        }

        double now = ScenarioSeconds();
        long firstCycle = _position.FirstCycleToReplay(now, hub.HistoryCapacity);
        hub.Rewind(_position.IdsBeforeCycle(firstCycle));
        _log.Information(
            "Scenario clock from epoch {Epoch:o}: {Seconds:0.###} s into the scenario, replaying from cycle {Cycle} (id {EventId} expected now)",
            epoch.Value, now, firstCycle + 1, _position.IdAt(now));
        return firstCycle;
    }

    private void Fire(TimelineEntry entry, long due)
    {
        bool replay = due < _caughtUpAt;
        if (entry.Kind == EntryKind.Drop)
        {
            if (replay)
            {
                return;
            }

            int dropped = hub.DropAll();
            _log.Information("Scenario drop at {At}s: cut {Count} streams", entry.At, dropped);
            return;
        }

        var frame = hub.Publish(entry, due);
        if (replay)
        {
            return;
        }

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

    /// <summary>How far the epoch lies before now, in timestamp ticks (negative for a future epoch).</summary>
    private static long EpochTicks(DateTimeOffset? epoch, TimeProvider time) =>
        epoch is { } at ? (long)((time.GetUtcNow() - at).TotalSeconds * time.TimestampFrequency) : 0;
}
