using Serilog;
using SseFlights.Metrics;
using SseFlights.Scenario;

namespace SseFlights.Broadcast;

/// <summary>
/// Plays the timeline on the one server-wide clock. Each entry fires at
/// <c>start + (cycle × cycleLength + at) / speed</c>, computed from the start every time
/// rather than by summing delays, so a long run does not drift. The control API can pause
/// (the start moves on by the pause, so later entries shift by it) and restart (a new start).
/// With an <paramref name="epoch"/> the start is that instant, not now: replicas given the same
/// epoch play the same frames at the same moments, and one started late first replays the past
/// it needs (see <see cref="TimelinePosition"/>). The two never meet: --control is refused with --epoch.
/// </summary>
internal sealed partial class ScenarioPlayer(ScenarioDefinition scenario, EventHub hub, double speed, TimeProvider time, ServerMetrics metrics, ILogger log, bool waitForRestart = false, DateTimeOffset? epoch = null)
{
    private readonly ILogger _log = log.ForContext<ScenarioPlayer>();

    // Guards the clock state below; firing an entry happens under it too, so a pause or a restart
    // can never interleave with an entry on its way out. Order: this lock, then the hub's.
    private readonly Lock _gate = new();
    private long _start = time.GetTimestamp() - EpochTicks(epoch, time);
    private readonly TimelinePosition _position = new(scenario);

    // Frames due before this timestamp are the past being replayed at start: not counted, not logged one by one.
    private long _caughtUpAt;
    private long? _pausedAt;
    private int _generation;
    private long _cycle;
    private int _nextIndex;
    private CancellationTokenSource _wake = new();

    /// <summary>When the scenario clock started, as wall-clock time (published in /healthz).</summary>
    public DateTimeOffset StartedAt { get; } = epoch ?? time.GetUtcNow();

    /// <summary>The <c>--epoch</c> the clock was given, or null when it started with the process.</summary>
    public DateTimeOffset? Epoch => epoch;

    public double Speed => speed;

    /// <summary>Seconds into the scenario now (negative before a future epoch), in scenario time.</summary>
    public double ScenarioSeconds(TimeSpan ahead = default) => (time.GetElapsedTime(Volatile.Read(ref _start)) + ahead).TotalSeconds * speed;

    /// <summary>The newest id this clock will have issued <paramref name="ahead"/> from now (wall-clock time).</summary>
    public long IdReachedWithin(TimeSpan ahead) => _position.IdAt(ScenarioSeconds(ahead));

    /// <summary>Runs until the timeline ends (or, for a repeating scenario, until cancelled).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _caughtUpAt = time.GetTimestamp();
        long firstCycle = CatchUp();
        while (true)
        {
            int generation;
            lock (_gate)
            {
                generation = _generation;
            }

            bool restarted = await PlayAsync(generation, firstCycle, cancellationToken).ConfigureAwait(false);

            // A restart (control API only, never with an epoch) plays from the first cycle.
            firstCycle = 0;
            if (restarted)
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
    private async Task<bool> PlayAsync(int generation, long firstCycle, CancellationToken cancellationToken)
    {
        for (long cycle = firstCycle; ; cycle++)
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

    private void Fire(TimelineEntry? entry, long cycle, long due)
    {
        bool replay = due < _caughtUpAt;
        if (entry is null)
        {
            var snapshot = hub.StartCycle(due);
            if (!replay)
            {
                metrics.EventPublished();
                _log.Information("Cycle {Cycle} begins: board reset, snapshot sent as event {EventId}", cycle + 1, snapshot.Id);
            }

            return;
        }

        // The past being replayed has no streams to drop, and its live-only frames are long gone.
        if (replay && (entry.Kind == EntryKind.Drop || entry.IsLiveOnly))
        {
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

    /// <summary>The timestamp <paramref name="scenarioSeconds"/> into the scenario falls on; call under the lock.</summary>
    private long DueTimestamp(double scenarioSeconds) => _start + (long)(scenarioSeconds / speed * time.TimestampFrequency);

    /// <summary>Waits for the moment <paramref name="scenarioSeconds"/> into the scenario; its timestamp, or null after a restart.</summary>
    private async Task<long?> WaitUntilAsync(double scenarioSeconds, int generation, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            bool paused;
            CancellationToken wake;
            long due;
            lock (_gate)
            {
                if (_generation != generation)
                {
                    return null;
                }

                due = DueTimestamp(scenarioSeconds);
                paused = _pausedAt is not null;
                wait = time.GetElapsedTime(time.GetTimestamp(), due);
                wake = _wake.Token;
            }

            // Paused is its own state, never a length of wait: an entry found exactly 1 ms overdue
            // (a wake-up that late) is Timeout.InfiniteTimeSpan's value, and once froze the board.
            if (!paused && wait <= TimeSpan.Zero)
            {
                return due;
            }

            // Timers work in whole milliseconds and a shorter wait would end at once: round up, and
            // check again on waking, so an entry never fires before its moment.
            var delay = paused ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
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

    /// <summary>How far the epoch lies before now, in timestamp ticks (negative for a future epoch).</summary>
    private static long EpochTicks(DateTimeOffset? epoch, TimeProvider time) =>
        epoch is { } at ? (long)((time.GetUtcNow() - at).TotalSeconds * time.TimestampFrequency) : 0;
}
