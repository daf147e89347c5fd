using Serilog;
using SseFlights.Metrics;
using SseFlights.Scenario;

namespace SseFlights.Broadcast;

/// <summary>
/// Plays the timeline on the one server-wide clock. Each entry fires at
/// <c>start + (cycle × cycleLength + at) / speed</c>, computed from the start every time
/// rather than by summing delays, so a long run does not drift. The control API can pause
/// (the start moves on by the pause, so later entries shift by it) and restart (a new start).
/// </summary>
internal sealed partial class ScenarioPlayer(ScenarioDefinition scenario, EventHub hub, double speed, TimeProvider time, ServerMetrics metrics, ILogger log, bool waitForRestart = false)
{
    private readonly ILogger _log = log.ForContext<ScenarioPlayer>();

    // Guards the clock state below; firing an entry happens under it too, so a pause or a restart
    // can never interleave with an entry on its way out. Order: this lock, then the hub's.
    private readonly Lock _gate = new();
    private long _start = time.GetTimestamp();
    private long? _pausedAt;
    private int _generation;
    private long _cycle;
    private int _nextIndex;
    private CancellationTokenSource _wake = new();

    /// <summary>When the scenario clock started, as wall-clock time (published in /healthz).</summary>
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public double Speed => speed;

    /// <summary>Runs until the timeline ends (or, for a repeating scenario, until cancelled).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int generation;
            lock (_gate)
            {
                generation = _generation;
            }

            if (await PlayAsync(generation, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            _log.Information("The timeline has ended");
            if (!waitForRestart || hub.Progress().Closed)
            {
                return;
            }

            // With the control API on, a restart can still play the timeline again.
            await WaitForChangeAsync(generation, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Plays from the start; true if a restart interrupted it, false when it ended.</summary>
    private async Task<bool> PlayAsync(int generation, CancellationToken cancellationToken)
    {
        for (long cycle = 0; ; cycle++)
        {
            double cycleStart = cycle * (scenario.Cycle ?? 0);
            for (int index = cycle > 0 ? -1 : 0; index < scenario.Timeline.Count; index++)
            {
                lock (_gate)
                {
                    (_cycle, _nextIndex) = (cycle, Math.Max(index, 0));
                }

                // Index -1 is a repeat cycle's start: the board goes back to the scenario's flights.
                double at = index < 0 ? cycleStart : cycleStart + scenario.Timeline[index].At;
                while (true)
                {
                    long? due = await WaitUntilAsync(at, generation, cancellationToken).ConfigureAwait(false);
                    if (due is null)
                    {
                        return true;
                    }

                    lock (_gate)
                    {
                        if (_generation != generation)
                        {
                            return true;
                        }

                        if (DueTimestamp(at) > time.GetTimestamp() || _pausedAt is not null)
                        {
                            continue;
                        }

                        if (hub.Progress().Closed)
                        {
                            return false;
                        }

                        Fire(index < 0 ? null : scenario.Timeline[index], cycle, due.Value);
                        break;
                    }
                }
            }

            if (!scenario.Repeat)
            {
                lock (_gate)
                {
                    _nextIndex = scenario.Timeline.Count;
                }

                return false;
            }
        }
    }

    private void Fire(TimelineEntry? entry, long cycle, long due)
    {
        if (entry is null)
        {
            var snapshot = hub.StartCycle(due);
            metrics.EventPublished();
            _log.Information("Cycle {Cycle} begins: board reset, snapshot sent as event {EventId}", cycle + 1, snapshot.Id);
            return;
        }

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

    /// <summary>The timestamp <paramref name="scenarioSeconds"/> into the scenario falls on; call under the lock.</summary>
    private long DueTimestamp(double scenarioSeconds) => _start + (long)(scenarioSeconds / speed * time.TimestampFrequency);

    /// <summary>Waits for the moment <paramref name="scenarioSeconds"/> into the scenario; its timestamp, or null after a restart.</summary>
    private async Task<long?> WaitUntilAsync(double scenarioSeconds, int generation, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            CancellationToken wake;
            long due;
            lock (_gate)
            {
                if (_generation != generation)
                {
                    return null;
                }

                due = DueTimestamp(scenarioSeconds);
                wait = _pausedAt is not null ? Timeout.InfiniteTimeSpan : time.GetElapsedTime(time.GetTimestamp(), due);
                wake = _wake.Token;
            }

            if (wait != Timeout.InfiniteTimeSpan && wait <= TimeSpan.Zero)
            {
                return due;
            }

            // Timers work in whole milliseconds and a shorter wait would end at once: round up, and
            // check again on waking, so an entry never fires before its moment.
            var delay = wait == Timeout.InfiniteTimeSpan ? wait : TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
            await DelayAsync(delay, wake, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitForChangeAsync(int generation, CancellationToken cancellationToken)
    {
        CancellationToken wake;
        lock (_gate)
        {
            if (_generation != generation)
            {
                return;
            }

            wake = _wake.Token;
        }

        await DelayAsync(Timeout.InfiniteTimeSpan, wake, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A delay that a control action ends early (the caller then looks again); our own stop still throws.</summary>
    private async Task DelayAsync(TimeSpan delay, CancellationToken wake, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(wake, cancellationToken);
        try
        {
            await Task.Delay(delay, time, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Woken by a pause, resume or restart.
        }
    }
}
