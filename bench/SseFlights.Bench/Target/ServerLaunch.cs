namespace SseFlights.Bench.Target;

/// <summary>How to start one server for one run. <paramref name="Path"/> is the sseflights or
/// kestrel-peer executable (or its .dll, run with <c>dotnet</c>), or the Node peer's server.js.
/// <paramref name="RetryMilliseconds"/> is the <c>retry:</c> every server takes as <c>--retry</c> (null: its default).
/// <paramref name="NatsUrl"/> starts sseflights as a live replica on that log (<c>--nats</c>), which takes no <c>--speed</c>;
/// <paramref name="Epoch"/> starts a scripted one on that shared scenario clock (<c>--epoch</c>).</summary>
internal sealed record ServerLaunch(
    ServerKind Kind,
    string Path,
    string Scenario,
    double Speed,
    int History,
    int MaxClients,
    int HeartbeatSeconds,
    string LogPath,
    string? PidFile,
    int? RetryMilliseconds = null,
    string? NatsUrl = null,
    DateTimeOffset? Epoch = null);
