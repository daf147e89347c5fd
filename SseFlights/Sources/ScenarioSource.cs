using Serilog;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Scenario;

namespace SseFlights.Sources;

/// <summary>
/// Plays the scenario into the hub on its <see cref="ScenarioClock"/>: a thin loop that waits for
/// the next step's moment and fires it. The control API can pause (later steps shift by the pause),
/// resume and restart it. With an <paramref name="epoch"/> the clock's zero is that instant: replicas
/// given the same epoch play the same frames at the same moments, and one started late first replays
/// the past it needs (see <see cref="TimelinePosition"/>). The two never meet: --control is refused with --epoch.
/// </summary>
internal sealed class ScenarioSource : IEventSource
{
    private readonly EventHub _hub;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly StepPublisher _steps;
    private readonly bool _waitForRestart;
    private readonly DateTimeOffset? _epoch;

    // Guards the clock and the generation; a step is taken and handed to the hub under it, so a pause
    // or a restart never interleaves with an entry on its way out. Order: this lock, then the hub's.
    private readonly Lock _gate = new();
    private readonly ScenarioClock _clock;
    private CancellationTokenSource _wake = new();

    // Steps due before this timestamp are the past being replayed at start: not counted, not logged one by one.
    private long _caughtUpAt;

    // The clock's zero as it was set at start. With an epoch it never moves (no pause or restart:
    // --control is refused with --epoch), so the skew's horizon reads it without the lock, which a
    // join must not take: it asks while holding the hub's lock, and the order is this lock, then the hub's.
    private readonly long _epochStart;

    /// <param name="standStill">Step mode: the clock stands at 0 s and moves only by <see cref="Advance"/> (or a resume).</param>
    public ScenarioSource(ScenarioDefinition scenario, EventHub hub, double speed, TimeProvider time, ILogger log, bool waitForRestart = false, DateTimeOffset? epoch = null, bool standStill = false)
    {
        (_hub, _time, _log, _waitForRestart, _epoch) = (hub, time, log.ForContext<ScenarioSource>(), waitForRestart, epoch);
        _steps = new StepPublisher(hub, _log);
        long epochTicks = epoch is { } at ? ScenarioClock.EpochTicks(at, time.GetUtcNow(), time.TimestampFrequency) : 0;
        _epochStart = time.GetTimestamp() - epochTicks;
        _clock = new ScenarioClock(scenario, speed, _epochStart, time.TimestampFrequency);
        Speed = speed;
        StartedAt = epoch ?? time.GetUtcNow();
        if (standStill)
        {
            _clock.Pause(_epochStart);
        }
    }

    /// <summary>When the scenario clock started, as wall-clock time (published in /healthz).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The <c>--epoch</c> the clock was given, or null when it started with the process.</summary>
    public DateTimeOffset? Epoch => _epoch;

    public double Speed { get; }

    /// <summary>
    /// With an epoch, the newest id this clock will have issued <paramref name="ahead"/> from now
    /// (wall-clock time). Takes no lock: the hub asks it while a stream joins, under its own lock.
    /// </summary>
    public long IdReachedWithin(TimeSpan ahead)
    {
        double seconds = (_time.GetElapsedTime(_epochStart) + ahead).TotalSeconds * Speed;
        return _clock.Position.IdAt(seconds);
    }

    /// <summary>Stops the timeline (heartbeats go on); false if it was already paused.</summary>
    public bool Pause() => Change(() => _clock.Pause(_time.GetTimestamp()));

    /// <summary>Continues the timeline, every later step shifted by the pause; the pause's length, or null if it was not paused.</summary>
    public TimeSpan? Resume() => Change(() => _clock.Resume(_time.GetTimestamp()) is { } ticks ? TimeSpan.FromSeconds(ticks / (double)_time.TimestampFrequency) : (TimeSpan?)null);

    /// <summary>
    /// Back to the scenario's start: the board is reset and everyone gets a snapshot with a fresh id
    /// (ids keep increasing), and the timeline plays again from its first entry, unpaused. Under the
    /// clock's lock, so no step of the old run can follow the snapshot.
    /// </summary>
    public Frame Restart() => Change(() =>
    {
        _clock.Restart(_time.GetTimestamp());
        return _hub.StartCycle();
    });

    /// <summary>
    /// Plays the steps <paramref name="target"/> reaches at once, through the same publisher as the running
    /// clock, and leaves the clock standing at the last of them (or at the target second). Only while the clock
    /// stands still (step mode or a pause), so the test that drives it decides every moment.
    /// </summary>
    public AdvanceResult Advance(AdvanceTarget target) => Change(() => ClockSteps.Advance(_clock, _steps, _hub, target, _time.GetTimestamp()));

    /// <summary>Where the timeline stands, for GET /api/control.</summary>
    public PlaybackState State()
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            double seconds = _clock.SecondsAt(now);
            if (_clock.Ended)
            {
                return new PlaybackState(_clock.Paused, seconds, _clock.Next.Cycle, null, null, null);
            }

            var next = _clock.Next.IsCycleStart ? new TimelineStep(_clock.Next.Cycle, 0) : _clock.Next;
            double nextAt = _clock.SecondsOf(next);
            double? inSeconds = _clock.Paused ? null : Math.Max(0, (_clock.DueAt(nextAt) - now) / (double)_time.TimestampFrequency);
            return new PlaybackState(_clock.Paused, seconds, next.Cycle, next.Index, nextAt, inSeconds);
        }
    }

    /// <summary>Runs until the timeline ends (or, for a repeating scenario, until cancelled).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _caughtUpAt = _time.GetTimestamp();
        CatchUp();
        while (true)
        {
            TimeSpan? wait;
            CancellationToken wake;
            lock (_gate)
            {
                long now = _time.GetTimestamp();
                if (_clock.Ended && !_waitForRestart || _hub.Progress().Closed)
                {
                    break;
                }

                wait = Wait(now);
                wake = _wake.Token;
                if (wait == TimeSpan.Zero)
                {
                    var step = _clock.Next;
                    _clock.Advance();
                    long due = _clock.DueAt(_clock.SecondsOf(step));
                    _steps.Fire(step.Cycle, _clock.EntryOf(step), due, replay: due < _caughtUpAt);
                    if (_clock.Ended)
                    {
                        _log.Information("The timeline has ended");
                    }

                    continue;
                }
            }

            // Timers work in whole milliseconds and a shorter wait would end at once: round up, and look
            // again on waking, so a step never fires before its moment.
            var delay = wait is { } ticks ? TimeSpan.FromMilliseconds(Math.Ceiling(ticks.TotalMilliseconds)) : Timeout.InfiniteTimeSpan;
            await DelayAsync(delay, wake, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Zero when the next step is due now; how long until it is; null when nothing is waited for (paused, or ended awaiting a restart).</summary>
    private TimeSpan? Wait(long now) => _clock.TicksUntilNext(now) switch
    {
        null => null,
        <= 0 => TimeSpan.Zero,
        var ticks => TimeSpan.FromSeconds(ticks.Value / (double)_time.TimestampFrequency),
    };

    /// <summary>
    /// With an epoch in the past, skips whole cycles by arithmetic and starts from the cycle to replay;
    /// the loop then plays the past without waiting (every moment is due), so the board, the ids and the
    /// history's bytes are those a replica running since the epoch has.
    /// </summary>
    private void CatchUp()
    {
        if (_epoch is not { } epoch)
        {
            return;
        }

        lock (_gate)
        {
            double now = _clock.SecondsAt(_time.GetTimestamp());
            long firstCycle = _clock.Position.FirstCycleToReplay(now, _hub.HistoryCapacity);
            _clock.SkipTo(firstCycle);
            _hub.Rewind(_clock.Position.IdsBeforeCycle(firstCycle));
            _log.Information(
                "Scenario clock from epoch {Epoch:o}: {Seconds:0.###} s into the scenario, replaying from cycle {Cycle} (id {EventId} expected now)",
                epoch, now, firstCycle + 1, _clock.Position.IdAt(now));
        }
    }

    /// <summary>Applies a control action to the clock under the lock, then wakes the loop to look again (outside the lock: cancelling runs its continuation inline).</summary>
    private T Change<T>(Func<T> action)
    {
        CancellationTokenSource old;
        T result;
        lock (_gate)
        {
            result = action();
            old = _wake;
            _wake = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
        return result;
    }

    /// <summary>A delay that a control action ends early (the caller then looks again); our own stop still throws.</summary>
    private async Task DelayAsync(TimeSpan delay, CancellationToken wake, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(wake, cancellationToken);
        try
        {
            await Task.Delay(delay, _time, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Woken by a pause, resume or restart.
        }
    }
}
