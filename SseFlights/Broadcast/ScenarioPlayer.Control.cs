namespace SseFlights.Broadcast;

/// <summary>The control API's hold on the clock: pause, resume, restart, and where things stand.</summary>
internal sealed partial class ScenarioPlayer
{
    /// <summary>Stops the timeline (heartbeats go on); false if it was already paused.</summary>
    public bool Pause()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            if (_pausedAt is not null)
            {
                return false;
            }

            _pausedAt = time.GetTimestamp();
            old = Wake();
        }

        Signal(old);
        return true;
    }

    /// <summary>Continues the timeline, every later entry shifted by the pause; the pause's length, or null if it was not paused.</summary>
    public TimeSpan? Resume()
    {
        CancellationTokenSource old;
        TimeSpan paused;
        lock (_gate)
        {
            if (_pausedAt is not { } pausedAt)
            {
                return null;
            }

            long now = time.GetTimestamp();
            _start += now - pausedAt;
            _pausedAt = null;
            old = Wake();
            paused = time.GetElapsedTime(pausedAt, now);
        }

        Signal(old);
        return paused;
    }

    /// <summary>
    /// Back to the scenario's start: the board is reset and everyone gets a snapshot with a fresh id
    /// (ids keep increasing), and the timeline plays again from its first entry, unpaused.
    /// Under the clock's lock, so no entry of the old run can follow the snapshot.
    /// </summary>
    public EncodedEvent Restart()
    {
        CancellationTokenSource old;
        EncodedEvent snapshot;
        lock (_gate)
        {
            _generation++;
            _start = time.GetTimestamp();
            _pausedAt = null;
            (_cycle, _nextIndex) = (0, 0);
            snapshot = hub.StartCycle();
            metrics.EventPublished();
            old = Wake();
        }

        Signal(old);
        return snapshot;
    }

    public PlaybackState State()
    {
        lock (_gate)
        {
            long now = _pausedAt ?? time.GetTimestamp();
            double scenarioSeconds = time.GetElapsedTime(_start, now).TotalSeconds * speed;
            if (_nextIndex >= scenario.Timeline.Count)
            {
                return new PlaybackState(_pausedAt is not null, scenarioSeconds, _cycle, null, null, null);
            }

            double nextAt = (_cycle * (scenario.Cycle ?? 0)) + scenario.Timeline[_nextIndex].At;
            double? inSeconds = _pausedAt is null ? Math.Max(0, (nextAt - scenarioSeconds) / speed) : null;
            return new PlaybackState(_pausedAt is not null, scenarioSeconds, _cycle, _nextIndex, nextAt, inSeconds);
        }
    }

    /// <summary>A fresh wake-up source for later waits; the old one, to signal once the lock is released. Call under the lock.</summary>
    private CancellationTokenSource Wake()
    {
        var old = _wake;
        _wake = new CancellationTokenSource();
        return old;
    }

    /// <summary>Ends the player's current wait, outside the lock: cancelling runs its continuation inline.</summary>
    private static void Signal(CancellationTokenSource old)
    {
        old.Cancel();
        old.Dispose();
    }
}
