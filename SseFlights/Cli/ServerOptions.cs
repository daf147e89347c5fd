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

    /// <summary>Step mode (<c>--step</c>, with <c>--control</c>): the scenario clock stands still and moves only by POST /api/control/advance.</summary>
    public bool Step { get; init; }

    /// <summary>The default of <c>--nats-snapshot-every</c>: well inside the stream's default bound of 100,000 messages.</summary>
    public const int DefaultNatsSnapshotEvery = 1_000;

    /// <summary>The NATS server(s) of the shared log of live events (<c>--nats</c>), or null; parsed, wired to the hub in issue #23's phase B.</summary>
    public string? NatsUrl { get; init; }

    /// <summary>The stream of the board's entries (<c>--nats-stream</c>); its subject is NAME.events, its snapshot bucket NAME-board.</summary>
    public string NatsStream { get; init; } = NatsLogOptions.DefaultStream;

    /// <summary>A NATS credentials file (<c>--nats-creds</c>), or null.</summary>
    public string? NatsCredsFile { get; init; }

    /// <summary>The most messages the stream keeps when this server creates it (<c>--nats-max-msgs</c>).</summary>
    public long NatsMaxMessages { get; init; } = NatsLogOptions.DefaultMaxMessages;

    /// <summary>Every this many entries the board is stored as the newest snapshot (<c>--nats-snapshot-every</c>).</summary>
    public int NatsSnapshotEvery { get; init; } = DefaultNatsSnapshotEvery;

    public static ServerOptions Defaults { get; } = new(
        5000, "localhost", null, null, 1, 15, 3000, 1024, 10_000, [], Serilog.Events.LogEventLevel.Information, LogFormat.Text);
}
