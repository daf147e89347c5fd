using Serilog;

namespace SseFlights.Nats;

/// <summary>
/// Whether the log's server is reachable and since when, from the NATS connection's own events (opened,
/// disconnected). It starts unreachable; the first connect is announced by <see cref="NatsLog.ConnectAsync"/>,
/// every later change here, once: a warning when the server goes away, and how long it was away when it is back.
/// </summary>
internal sealed class ReachabilityWatch(string displayUrl, TimeProvider time, ILogger log)
{
    private readonly Lock _gate = new();
    private LogStatus _status = new(Reachability.Unreachable, time.GetUtcNow());

    // The first change to reachable is the first connect, not a return.
    private bool _wasReachable;

    /// <summary>Raised after each change, on the thread that saw it (the NATS client's event loop); keep handlers short.</summary>
    public event Action<LogStatus>? Changed;

    public LogStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Records <paramref name="reachability"/> as of now, if it is a change.</summary>
    public void Set(Reachability reachability)
    {
        LogStatus status;
        TimeSpan before;
        bool first;
        lock (_gate)
        {
            if (_status.Reachability == reachability)
            {
                return;
            }

            first = !_wasReachable;
            _wasReachable = true;
            var now = time.GetUtcNow();
            before = now - _status.Since;
            _status = status = new LogStatus(reachability, now);
        }

        if (reachability == Reachability.Unreachable)
        {
            log.Warning("The log at {NatsUrl} is unreachable; reconnecting", displayUrl);
        }
        else if (!first)
        {
            log.Information("The log at {NatsUrl} is reachable again after {Seconds:0.###} s", displayUrl, before.TotalSeconds);
        }

        Changed?.Invoke(status);
    }
}
