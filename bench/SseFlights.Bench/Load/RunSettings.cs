using SseFlights.Bench.Target;

namespace SseFlights.Bench.Load;

/// <summary>One run: which server (started by the bench, or already running), how many clients,
/// and the timings. Times are seconds of wall clock.</summary>
internal sealed record RunSettings
{
    public required string Mode { get; init; }
    public required string ServerLabel { get; init; }
    public required int Clients { get; init; }
    public int Stalled { get; init; }
    public int Rep { get; init; }
    /// <summary>The scenario the server plays; without it latency is not measured.</summary>
    public string? ScenarioPath { get; init; }

    /// <summary>Start this server (on <see cref="Port"/>, or a free one) and stop it afterwards...</summary>
    public ServerLaunch? Launch { get; init; }
    public int? Port { get; init; }
    /// <summary>...or measure this already running one (with <see cref="Pid"/> for /proc readings, if known).</summary>
    public Uri? Target { get; init; }
    public int? Pid { get; init; }

    /// <summary>Wait after the last client connected before the window opens.</summary>
    public double SettleSeconds { get; init; } = 2;
    /// <summary>Length of the measurement window.</summary>
    public double Seconds { get; init; } = 30;
    /// <summary>Longest wait after the window for its events to reach every client.</summary>
    public double DrainSeconds { get; init; } = 5;
    public double ConnectTimeoutSeconds { get; init; } = 120;
    public double AttemptTimeoutSeconds { get; init; } = 30;
    /// <summary>Connects in flight at once (0: no limit).</summary>
    public int ConnectConcurrency { get; init; } = 500;
    /// <summary>Time the scenario's first drop: who was cut and when each caught up.</summary>
    public bool TimeDrop { get; init; }
    public double CatchUpTimeoutSeconds { get; init; } = 20;
    /// <summary>With <see cref="TimeDrop"/>: the window ends before the drop, which is timed after it (the scale run),
    /// instead of holding it (the storm run).</summary>
    public bool WindowBeforeDrop { get; init; }
    /// <summary>Reconnect-heavy soak: clients reconnect after the server's retry: (as browsers do), the
    /// window opens at the scenario's first drop, and reconnects, catch-up and GC per reconnect are reported.</summary>
    public bool Soak { get; init; }
    /// <summary>The retry: the server was started with (milliseconds), checked against what clients receive; null: not known.</summary>
    public int? RetryMilliseconds { get; init; }
    public double StartTimeoutSeconds { get; init; } = 30;
    /// <summary>Loopback source addresses to spread the clients over (0: the kernel's choice, 127.0.0.1).</summary>
    public int SourceAddresses { get; init; }
}
