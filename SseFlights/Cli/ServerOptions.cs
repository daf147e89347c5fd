namespace SseFlights.Cli;

/// <summary>Output format for the console log.</summary>
internal enum LogFormat
{
    Text,
    Json,
}

/// <summary>Everything the command line decides, already validated.</summary>
internal sealed record ServerOptions(
    int Port,
    string Host,
    string? ScenarioPath,
    string? WwwRoot,
    double Speed,
    double HeartbeatSeconds,
    int RetryMilliseconds,
    int History,
    int MaxClients,
    IReadOnlyList<string> CorsOrigins,
    Serilog.Events.LogEventLevel LogLevel,
    LogFormat LogFormat,
    bool Control = false,
    string? ControlToken = null)
{
    /// <summary>The instant the scenario clock starts from (<c>--epoch</c>), or null for the process start.</summary>
    public DateTimeOffset? Epoch { get; init; }

    /// <summary>With an epoch, how far ahead (wall-clock seconds) a Last-Event-ID may be and still be held (<c>--skew</c>).</summary>
    public double SkewSeconds { get; init; } = 2;

    /// <summary>On a stop signal, the window over which open streams are ended one by one (<c>--drain</c>); 0 ends them all at once.</summary>
    public double DrainSeconds { get; init; }

    public static ServerOptions Defaults { get; } = new(
        5000, "localhost", null, null, 1, 15, 3000, 1024, 10_000, [], Serilog.Events.LogEventLevel.Information, LogFormat.Text);
}
