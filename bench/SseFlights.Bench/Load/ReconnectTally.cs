namespace SseFlights.Bench.Load;

/// <summary>One soak client's books on its reconnects inside the window: how many it made, how
/// many failed, and for each how long it took to catch up, from the reconnect's start (after the
/// retry wait) to the arrival of the last event that was due when it started (resent, or live).
/// Touched only by its client's own loop, so nothing here is shared or locked.</summary>
internal sealed class ReconnectTally(LoadContext context)
{
    // The id that ends the current reconnect's catch-up (-1: none pending), and when it started.
    private long _target = -1;
    private long _startedAt;
    private bool _inWindow;

    /// <summary>Reconnects started inside the window.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Of those, the ones that did not get a stream (refused, timed out, not a 200).</summary>
    public int Failures { get; private set; }

    /// <summary>Reconnects that had missed events and had them all before their stream was cut again.</summary>
    public int CaughtUp { get; private set; }

    /// <summary>Reconnects that had missed events and were cut (or failed) before they had them all.</summary>
    public int CutBeforeCaughtUp { get; private set; }

    public long MaxCatchUpMicroseconds { get; private set; }

    /// <summary>A reconnect starts now; <paramref name="lastId"/> is the last event the client has.</summary>
    public void Start(long now, long lastId)
    {
        _target = -1;
        _inWindow = now >= context.WindowStart && now <= context.WindowEnd;
        if (!_inWindow) return;
        Reconnects++;
        long due = context.LastIdDueBy(now);
        if (due <= lastId) return; // Nothing missed (the server is behind its own schedule): nothing to time.
        _target = due;
        _startedAt = now;
    }

    /// <summary>The reconnect, or the stream it opened, ended before it was caught up.</summary>
    public void Ended(bool failed)
    {
        if (failed && _inWindow) Failures++;
        if (_target >= 0) CutBeforeCaughtUp++;
        _target = -1;
        _inWindow = false;
    }

    /// <summary>An event arrived in order on the current stream.</summary>
    public void OnEvent(long id, long arrival)
    {
        if (_target < 0 || id < _target) return;
        long microseconds = (arrival - _startedAt) / WallClock.TimestampsPerMicrosecond;
        if (microseconds > MaxCatchUpMicroseconds) MaxCatchUpMicroseconds = microseconds;
        context.CatchUp.Record(microseconds);
        CaughtUp++;
        _target = -1;
    }
}
